#!/usr/bin/env python3
"""Writes a 1% AAF delta from a complete export made by `ardoise gen --format aaf` (for the import benchmark).

    python3 bench/aaf_delta.py COMPLETE_DIR OUT_DIR [--percent 1]

Of every hundred students, one changes class (modifyRequest replacing ENTEleveClasses); of every hundred
relatives, one changes e-mail address (modifyRequest on mail); of every thousand students, one leaves
(deleteRequest). The files are named like the académies' delta files, so `ardoise import aaf OUT_DIR`
applies them as a delta.
"""
import argparse
import os
import re
import sys

ADD = re.compile(r"<addRequest>.*?</addRequest>", re.S)
ID = re.compile(r"<identifier><id>([^<]+)</id></identifier>")
CLASSES = re.compile(r'<attr name="ENTEleveClasses"><value>([^<$]+)\$([^<]+)</value>')

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n'
TAIL = "</ficAlimMENESR>\n"


def modify(category, ident, name, value):
    return (
        "  <modifyRequest>\n"
        f'    <operationalAttributes><attr name="categoriePersonne"><value>{category}</value></attr></operationalAttributes>\n'
        f"    <identifier><id>{ident}</id></identifier>\n"
        f'    <modifications><modification name="{name}" operation="replace"><value>{value}</value></modification></modifications>\n'
        "  </modifyRequest>\n"
    )


def delete(category, ident):
    return (
        "  <deleteRequest>\n"
        f'    <operationalAttributes><attr name="categoriePersonne"><value>{category}</value></attr></operationalAttributes>\n'
        f"    <identifier><id>{ident}</id></identifier>\n"
        "  </deleteRequest>\n"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("complete")
    ap.add_argument("out")
    ap.add_argument("--percent", type=float, default=1.0)
    a = ap.parse_args()
    every = max(1, round(100 / a.percent))
    os.makedirs(a.out, exist_ok=True)
    counts = {"modify": 0, "delete": 0}
    for name in sorted(os.listdir(a.complete)):
        kind = next((k for k in ("Eleve", "PersRelEleve") if f"_{k}_" in name), None)
        if kind is None or "_Complet_" not in name:
            continue
        text = open(os.path.join(a.complete, name), encoding="utf-8").read()
        out = []
        for n, block in enumerate(ADD.findall(text)):
            ident = ID.search(block).group(1)
            if kind == "Eleve" and n % (every * 10) == every // 2:
                out.append(delete("Eleve", ident))
                counts["delete"] += 1
            elif n % every == 0:
                if kind == "Eleve":
                    m = CLASSES.search(block)
                    if not m:
                        continue
                    uai, code = m.groups()
                    other = code[:-1] + ("B" if code[-1] != "B" else "A")
                    out.append(modify("Eleve", ident, "ENTEleveClasses", f"{uai}${other}"))
                else:
                    out.append(modify("PersRelEleve", ident, "mail", f"nouvelle.adresse.{n}@example.fr"))
                counts["modify"] += 1
        target = name.replace("_Complet_", "_Delta_").replace("_20260901_", "_20261002_")
        with open(os.path.join(a.out, target), "w", encoding="utf-8") as f:
            f.write(HEAD + "".join(out) + TAIL)
    print(f"{counts['modify']} modifications, {counts['delete']} departures in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
