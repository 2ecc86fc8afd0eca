tile-directory = Annuaire
tile-directory-desc = Classes, enseignants et élèves
directory-title = Mon annuaire
directory-my-classes = Mes classes et groupes
directory-my-children = Mes enfants
directory-other-school = (autre établissement : changez de profil pour voir sa classe)
directory-classes-taught = Mes classes et groupes
directory-classes = Classes et groupes
directory-head-teacher = Professeur principal
directory-none = Aucun élément à afficher.
directory-col-class = Classe ou groupe
directory-col-subject = Matière
directory-col-kind = Type
directory-col-mef = Niveau
directory-col-students = Élèves
directory-col-school = Établissement
directory-col-city = Commune
directory-col-teacher = Enseignant
directory-kind-class = classe
directory-kind-group = groupe
directory-region-schools = Établissements de la région ({ $count })
directory-student-count = { $count ->
    [one] { $count } élève
   *[other] { $count } élèves
}
directory-teachers = Équipe pédagogique
directory-students = Élèves
directory-back = Retour à l'annuaire
pagination = Pagination
pagination-previous = Page précédente
pagination-next = Page suivante
directory-network = Réseau d’établissements : { $name }
