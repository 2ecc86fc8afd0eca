//! Reference data of the synthetic Grand Est region: given names, surnames, académies, departments and
//! towns, school namesakes, subjects, year levels (MEF), options, staff functions and guardian relations.
//!
//! Everything here is plain constant data written for Ardoise; the generator draws from it deterministically.

/// Given names of students (born 2008–2015), as (name, is_female).
#[rustfmt::skip]
pub const YOUNG_GIVEN_NAMES: &[(&str, bool)] = &[
    // Girls.
    ("Emma", true), ("Jade", true), ("Louise", true), ("Alice", true), ("Chloé", true), ("Lina", true),
    ("Léa", true), ("Manon", true), ("Rose", true), ("Anna", true), ("Inès", true), ("Camille", true),
    ("Lola", true), ("Ambre", true), ("Léna", true), ("Zoé", true), ("Juliette", true), ("Julia", true),
    ("Lou", true), ("Sarah", true), ("Lucie", true), ("Mila", true), ("Jeanne", true), ("Romane", true),
    ("Agathe", true), ("Eva", true), ("Nina", true), ("Charlotte", true), ("Inaya", true), ("Léonie", true),
    ("Margaux", true), ("Clara", true), ("Mia", true), ("Lana", true), ("Adèle", true), ("Victoire", true),
    ("Iris", true), ("Elena", true), ("Alix", true), ("Mathilde", true), ("Romy", true), ("Capucine", true),
    ("Lisa", true), ("Marie", true), ("Océane", true), ("Louna", true), ("Maëlys", true), ("Clémence", true),
    ("Elsa", true), ("Gabrielle", true), ("Apolline", true), ("Lily", true), ("Lya", true), ("Anaïs", true),
    ("Valentine", true), ("Héloïse", true), ("Justine", true), ("Pauline", true), ("Noémie", true),
    ("Mélina", true), ("Salomé", true), ("Emmy", true), ("Élise", true), ("Éloïse", true), ("Laura", true),
    ("Nour", true), ("Aya", true), ("Yasmine", true), ("Maya", true), ("Sofia", true), ("Louane", true),
    ("Candice", true), ("Victoria", true), ("Alicia", true), ("Maëlle", true), ("Lilou", true),
    ("Albane", true), ("Constance", true), ("Flavie", true), ("Axelle", true), ("Mélissa", true),
    ("Célia", true), ("Kenza", true), ("Lilia", true), ("Myriam", true), ("Sirine", true), ("Assia", true),
    ("Amira", true), ("Maryam", true), ("Hanna", true), ("Olivia", true), ("Giulia", true), ("Luna", true),
    ("Thaïs", true), ("Faustine", true), ("Garance", true), ("Margot", true), ("Daphné", true),
    ("Lise", true), ("Anouk", true), ("Cassandre", true), ("Erine", true), ("Lyna", true), ("Éléa", true),
    ("Maëva", true), ("Naëlle", true), ("Soline", true), ("Lucile", true), ("Ninon", true),
    ("Suzanne", true), ("Marine", true), ("Blanche", true), ("Philippine", true), ("Bérénice", true),
    ("Aurore", true), ("Maïwenn", true), ("Zélie", true), ("Énora", true), ("Ilona", true), ("Cloé", true),
    ("Emy", true), ("Kaïna", true), ("Jasmine", true), ("Amandine", true), ("Lyana", true),
    ("Fatoumata", true), ("Aïcha", true), ("Meryem", true), ("Hawa", true),
    // Boys.
    ("Gabriel", false), ("Léo", false), ("Raphaël", false), ("Adam", false), ("Nathan", false),
    ("Louis", false), ("Lucas", false), ("Arthur", false), ("Jules", false), ("Hugo", false),
    ("Maël", false), ("Liam", false), ("Ethan", false), ("Paul", false), ("Noah", false), ("Sacha", false),
    ("Tom", false), ("Théo", false), ("Mohamed", false), ("Aaron", false), ("Timéo", false),
    ("Enzo", false), ("Nolan", false), ("Axel", false), ("Mathis", false), ("Noé", false),
    ("Clément", false), ("Baptiste", false), ("Maxime", false), ("Antoine", false), ("Victor", false),
    ("Martin", false), ("Samuel", false), ("Valentin", false), ("Tiago", false), ("Eden", false),
    ("Gabin", false), ("Malo", false), ("Côme", false), ("Lenny", false), ("Marius", false),
    ("Naël", false), ("Rayan", false), ("Ayden", false), ("Isaac", false), ("Simon", false),
    ("Robin", false), ("Elio", false), ("Nino", false), ("Alexandre", false), ("Thomas", false),
    ("Romain", false), ("Alexis", false), ("Quentin", false), ("Evan", false), ("Kylian", false),
    ("Mattéo", false), ("Yanis", false), ("Ilyes", false), ("Amir", false), ("Ibrahim", false),
    ("Youssef", false), ("Ismaël", false), ("Adrien", false), ("Benjamin", false), ("Bastien", false),
    ("Dylan", false), ("Esteban", false), ("Gaspard", false), ("Léon", false), ("Oscar", false),
    ("Augustin", false), ("Pierre", false), ("Jean", false), ("Joseph", false), ("Marceau", false),
    ("Milo", false), ("Lino", false), ("Kenzo", false), ("Corentin", false), ("Florian", false),
    ("Killian", false), ("Lorenzo", false), ("Mathéo", false), ("Noam", false), ("Sohan", false),
    ("Titouan", false), ("Tristan", false), ("Ulysse", false), ("Wassim", false), ("Younes", false),
    ("Zacharie", false), ("Ewen", false), ("Erwan", false), ("Charles", false), ("Achille", false),
    ("Anatole", false), ("Léandre", false), ("Eliott", false), ("Malone", false), ("Kaïs", false),
    ("Mehdi", false), ("Sami", false), ("Soan", false), ("Timothée", false), ("Louka", false),
    ("Luka", false), ("Marin", false), ("Nils", false), ("Owen", false), ("Pablo", false),
    ("Sofiane", false), ("Adem", false), ("Ilan", false), ("Lyam", false), ("Mattia", false),
    ("Elias", false), ("Nicolas", false), ("Lucien", false), ("Émile", false), ("Basile", false),
    ("Aurélien", false), ("Hector", false), ("Jonas", false), ("Léopold", false), ("Octave", false),
    ("Aymeric", false), ("Amaury", false), ("Cyprien", false), ("Diego", false), ("Luca", false),
    ("Nathanaël", false), ("Mamadou", false), ("Moussa", false), ("Idriss", false), ("Ryan", false),
];

/// Given names of parents, teachers and staff (born 1960–1990), as (name, is_female).
#[rustfmt::skip]
pub const ADULT_GIVEN_NAMES: &[(&str, bool)] = &[
    // Women.
    ("Nathalie", true), ("Stéphanie", true), ("Isabelle", true), ("Sandrine", true), ("Valérie", true),
    ("Sylvie", true), ("Céline", true), ("Christine", true), ("Véronique", true), ("Catherine", true),
    ("Aurélie", true), ("Virginie", true), ("Sophie", true), ("Caroline", true), ("Laurence", true),
    ("Corinne", true), ("Karine", true), ("Martine", true), ("Frédérique", true), ("Patricia", true),
    ("Florence", true), ("Émilie", true), ("Julie", true), ("Audrey", true), ("Élodie", true),
    ("Mélanie", true), ("Sabrina", true), ("Séverine", true), ("Delphine", true), ("Anne", true),
    ("Marie", true), ("Hélène", true), ("Laetitia", true), ("Vanessa", true), ("Cécile", true),
    ("Carole", true), ("Christelle", true), ("Nadia", true), ("Fatima", true), ("Samia", true),
    ("Amandine", true), ("Jennifer", true), ("Jessica", true), ("Claire", true), ("Agnès", true),
    ("Béatrice", true), ("Brigitte", true), ("Dominique", true), ("Pascale", true), ("Muriel", true),
    ("Emmanuelle", true), ("Estelle", true), ("Gaëlle", true), ("Magali", true), ("Anne-Sophie", true),
    ("Marie-Laure", true), ("Anne-Laure", true), ("Marion", true), ("Alexandra", true), ("Sarah", true),
    ("Laure", true), ("Élise", true), ("Angélique", true), ("Annick", true), ("Chantal", true),
    ("Évelyne", true), ("Francine", true), ("Marina", true), ("Myriam", true), ("Nadège", true),
    ("Odile", true), ("Sonia", true), ("Sylviane", true), ("Yasmina", true), ("Karima", true),
    ("Malika", true), ("Leïla", true), ("Naïma", true), ("Rachida", true), ("Samira", true),
    ("Soraya", true), ("Bérangère", true), ("Bénédicte", true), ("Armelle", true), ("Clotilde", true),
    ("Fabienne", true), ("Françoise", true), ("Géraldine", true), ("Ingrid", true), ("Jocelyne", true),
    ("Joëlle", true), ("Katia", true), ("Lydie", true), ("Marjorie", true), ("Maud", true),
    ("Morgane", true), ("Nelly", true), ("Olivia", true), ("Perrine", true), ("Rachel", true),
    ("Régine", true), ("Sandra", true), ("Solène", true), ("Tiphaine", true), ("Claudine", true),
    ("Coralie", true), ("Aline", true), ("Anaïs", true), ("Charlotte", true), ("Lucie", true),
    ("Pauline", true), ("Camille", true), ("Marlène", true), ("Mireille", true), ("Élisabeth", true),
    ("Gwenaëlle", true), ("Ludivine", true), ("Mélodie", true), ("Christiane", true), ("Alexia", true),
    ("Elsa", true), ("Émeline", true), ("Hanane", true), ("Khadija", true), ("Linh", true),
    ("Sylvia", true), ("Valentine", true), ("Nadine", true), ("Aude", true),
    // Men.
    ("Sébastien", false), ("Christophe", false), ("Nicolas", false), ("Stéphane", false),
    ("Frédéric", false), ("Laurent", false), ("Thierry", false), ("Philippe", false), ("Pascal", false),
    ("Olivier", false), ("Éric", false), ("Patrick", false), ("David", false), ("Jérôme", false),
    ("Franck", false), ("Didier", false), ("Vincent", false), ("Julien", false), ("Guillaume", false),
    ("Cédric", false), ("Fabrice", false), ("Alain", false), ("Bruno", false), ("Denis", false),
    ("Emmanuel", false), ("Jean-Luc", false), ("Jean-Marc", false), ("Jean-Pierre", false),
    ("Jean-François", false), ("Jean-Christophe", false), ("Jean-Michel", false), ("Pierre", false),
    ("Michel", false), ("Gilles", false), ("Hervé", false), ("Xavier", false), ("Yannick", false),
    ("Lionel", false), ("Ludovic", false), ("Mickaël", false), ("Arnaud", false), ("Anthony", false),
    ("Grégory", false), ("Jérémy", false), ("Mathieu", false), ("Romain", false), ("Benoît", false),
    ("Damien", false), ("Fabien", false), ("Florent", false), ("Sylvain", false), ("Yann", false),
    ("Loïc", false), ("Régis", false), ("Samuel", false), ("Raphaël", false), ("Antoine", false),
    ("François", false), ("Bertrand", false), ("Bernard", false), ("Daniel", false), ("Jacques", false),
    ("Joël", false), ("Marc", false), ("Mohamed", false), ("Karim", false), ("Rachid", false),
    ("Farid", false), ("Mourad", false), ("Nordine", false), ("Saïd", false), ("Djamel", false),
    ("Hakim", false), ("Kamel", false), ("Samir", false), ("Alexandre", false), ("Thomas", false),
    ("Maxime", false), ("Jonathan", false), ("Kévin", false), ("Cyril", false), ("Gaël", false),
    ("Hugues", false), ("Jean-Baptiste", false), ("Matthieu", false), ("Pierre-Yves", false),
    ("Rémi", false), ("Rodolphe", false), ("Serge", false), ("Thibaut", false), ("Tony", false),
    ("Wilfried", false), ("Yves", false), ("Aurélien", false), ("Bastien", false), ("Édouard", false),
    ("Erwan", false), ("Gaëtan", false), ("Geoffrey", false), ("Grégoire", false), ("Hubert", false),
    ("Jean-Paul", false), ("Jean-Philippe", false), ("José", false), ("Manuel", false),
    ("Mathias", false), ("Morgan", false), ("Patrice", false), ("Richard", false), ("Vivien", false),
    ("Alexis", false), ("Benjamin", false), ("Adrien", false), ("Christian", false), ("Francis", false),
    ("Gautier", false), ("Jean-Louis", false), ("Jean-Yves", false), ("Joseph", false), ("Luc", false),
    ("Michaël", false), ("Paul", false), ("Simon", false), ("Tristan", false), ("Yohann", false),
    ("Alban", false), ("Baptiste", false), ("Brice", false), ("Clément", false), ("Dimitri", false),
    ("Jérémie", false), ("Lilian", false), ("Stanislas", false), ("Abdelkader", false), ("Ahmed", false),
    ("Mamadou", false), ("Minh", false), ("Cyrille", false), ("Jean-Marie", false), ("Quentin", false),
];

/// Surnames: common French ones, many typical of Alsace and Lorraine, and some of other origins common in
/// France today.
#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    // Common throughout France.
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Mercier", "Blanc", "Guerin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis",
    "Dumont", "Marie", "Lemaire", "Noël", "Meunier", "Dufour", "Blanchard", "Joly", "Giraud", "Rivière",
    "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt",
    "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud",
    "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet",
    "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger",
    "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher",
    "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré",
    "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet",
    "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff",
    "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon",
    "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin",
    "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître",
    "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier",
    "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte", "Gros", "Poncet",
    "Lefort", "Navarro",
    // Typical of Alsace and Lorraine.
    "Muller", "Meyer", "Fischer", "Wagner", "Hoffmann", "Becker", "Schaeffer", "Koch", "Wolff", "Schwartz",
    "Zimmermann", "Keller", "Walter", "Kieffer", "Lang", "Braun", "Kuhn", "Jung", "Frey", "Roth", "Kauffmann",
    "Schott", "Haas", "Hartmann", "Baumann", "Huber", "Ott", "Engel", "Heitz", "Kempf", "Stoltz", "Ehrhart",
    "Hirsch", "Wendling", "Scherrer", "Burger", "Gross", "Riff", "Metz", "Bauer", "Weiss", "Winter", "Sommer",
    "Kremer", "Kern", "Lorentz", "Marx", "Mangin", "Thiébaut", "Thiriet", "Claude", "Jacquot", "Didier",
    "Grandjean", "Didelot", "Collignon", "Georges", "Vautrin", "Hennequin", "Toussaint", "Rémond", "Houillon",
    "Mougel", "Pierrat", "Voirin", "Parmentier", "Gérardin", "Aubertin", "Poirot", "Zink", "Ritter", "Wurtz",
    "Heinrich", "Schaller", "Wilhelm", "Fritsch", "Schuster", "Bader", "Pfister", "Steiner", "Vogel", "Wolf",
    "Brunner", "Reinhardt", "Strub", "Sutter", "Ziegler", "Kirchner", "Graff", "Schwab", "Beck", "Hummel",
    "Kienlen",
    // Of other origins common in France today.
    "Benali", "Nguyen", "Haddad", "Diallo", "Dos Santos", "Ferreira", "Pereira", "Rodrigues", "Gonçalves",
    "Lopes", "Martins", "Fernandes", "Ribeiro", "Alves", "Mendes", "Benhamou", "Bouaziz", "Belkacem",
    "Mansouri", "Cherif", "Amrani", "Bensaïd", "Boudjema", "Hamidi", "Khelifi", "Meziane", "Saidi", "Traoré",
    "Diop", "Ndiaye", "Sow", "Camara", "Keita", "Coulibaly", "Touré", "Diarra", "Tran", "Phan", "Pham",
    "Hoang", "Vu", "Yilmaz", "Kaya", "Demir", "Öztürk", "Şahin", "Rossi", "Russo", "Ferrari", "Romano",
    "Colombo", "Esposito", "Bianchi", "Kowalski", "Nowak", "Lewandowski", "Ivanov", "Popescu", "Rahmani",
    "Bouzid", "Chaouch", "Ouali", "Zerrouki", "Aït Ahmed", "El Amrani", "Ben Youssef",
];

/// An académie of Grand Est and its departments.
pub struct AcademyData {
    pub code: &'static str,
    pub name: &'static str,
    pub departments: &'static [DepartmentData],
}

/// A department: its number as written in UAIs ("067"), its name and real towns, biggest first.
pub struct DepartmentData {
    pub number: &'static str,
    pub name: &'static str,
    pub cities: &'static [&'static str],
}

/// The three académies of Grand Est.
#[rustfmt::skip]
pub const ACADEMIES: &[AcademyData] = &[
    AcademyData {
        code: "REIMS",
        name: "Reims",
        departments: &[
            DepartmentData {
                number: "008",
                name: "Ardennes",
                cities: &[
                    "Charleville-Mézières", "Sedan", "Rethel", "Givet", "Revin", "Nouzonville",
                    "Bogny-sur-Meuse", "Vouziers", "Villers-Semeuse", "Fumay", "Carignan", "Monthermé",
                    "Rocroi",
                ],
            },
            DepartmentData {
                number: "010",
                name: "Aube",
                cities: &[
                    "Troyes", "Romilly-sur-Seine", "La Chapelle-Saint-Luc", "Saint-André-les-Vergers",
                    "Sainte-Savine", "Saint-Julien-les-Villas", "Nogent-sur-Seine", "Pont-Sainte-Marie",
                    "Bar-sur-Aube", "Bar-sur-Seine", "Brienne-le-Château", "Arcis-sur-Aube",
                    "Aix-Villemaur-Pâlis", "Les Riceys",
                ],
            },
            DepartmentData {
                number: "051",
                name: "Marne",
                cities: &[
                    "Reims", "Châlons-en-Champagne", "Épernay", "Vitry-le-François", "Tinqueux", "Bétheny",
                    "Cormontreuil", "Aÿ-Champagne", "Saint-Memmie", "Sézanne", "Fismes", "Mourmelon-le-Grand",
                    "Sainte-Menehould", "Montmirail",
                ],
            },
            DepartmentData {
                number: "052",
                name: "Haute-Marne",
                cities: &[
                    "Saint-Dizier", "Chaumont", "Langres", "Nogent", "Joinville", "Wassy", "Chalindrey",
                    "Bourbonne-les-Bains", "Eurville-Bienville", "Froncles", "Fayl-Billot", "Bologne",
                    "Montigny-le-Roi",
                ],
            },
        ],
    },
    AcademyData {
        code: "NANCY-METZ",
        name: "Nancy-Metz",
        departments: &[
            DepartmentData {
                number: "054",
                name: "Meurthe-et-Moselle",
                cities: &[
                    "Nancy", "Vandœuvre-lès-Nancy", "Lunéville", "Toul", "Longwy", "Pont-à-Mousson",
                    "Villers-lès-Nancy", "Laxou", "Villerupt", "Mont-Saint-Martin", "Dombasle-sur-Meurthe",
                    "Jarville-la-Malgrange", "Jarny", "Val de Briey", "Tomblaine", "Essey-lès-Nancy",
                ],
            },
            DepartmentData {
                number: "055",
                name: "Meuse",
                cities: &[
                    "Verdun", "Bar-le-Duc", "Commercy", "Saint-Mihiel", "Ligny-en-Barrois", "Étain",
                    "Thierville-sur-Meuse", "Belleville-sur-Meuse", "Revigny-sur-Ornain", "Stenay",
                    "Bouligny", "Vaucouleurs", "Montmédy",
                ],
            },
            DepartmentData {
                number: "057",
                name: "Moselle",
                cities: &[
                    "Metz", "Thionville", "Montigny-lès-Metz", "Forbach", "Sarreguemines", "Yutz", "Hayange",
                    "Saint-Avold", "Woippy", "Fameck", "Creutzwald", "Florange", "Sarrebourg",
                    "Freyming-Merlebach", "Marly", "Amnéville", "Bitche", "Boulay-Moselle", "Château-Salins",
                ],
            },
            DepartmentData {
                number: "088",
                name: "Vosges",
                cities: &[
                    "Épinal", "Saint-Dié-des-Vosges", "Gérardmer", "Golbey", "Capavenir Vosges", "Remiremont",
                    "Neufchâteau", "Raon-l'Étape", "Rambervillers", "Mirecourt", "Vittel", "Le Thillot",
                    "Bruyères", "Contrexéville", "Charmes",
                ],
            },
        ],
    },
    AcademyData {
        code: "STRASBOURG",
        name: "Strasbourg",
        departments: &[
            DepartmentData {
                number: "067",
                name: "Bas-Rhin",
                cities: &[
                    "Strasbourg", "Haguenau", "Schiltigheim", "Illkirch-Graffenstaden", "Lingolsheim",
                    "Sélestat", "Bischheim", "Bischwiller", "Ostwald", "Saverne", "Hoenheim", "Obernai",
                    "Erstein", "Brumath", "Molsheim", "Wissembourg", "Barr", "Sarre-Union",
                ],
            },
            DepartmentData {
                number: "068",
                name: "Haut-Rhin",
                cities: &[
                    "Mulhouse", "Colmar", "Saint-Louis", "Wittenheim", "Illzach", "Rixheim", "Kingersheim",
                    "Riedisheim", "Guebwiller", "Cernay", "Wittelsheim", "Thann", "Ensisheim", "Huningue",
                    "Altkirch", "Ribeauvillé", "Munster", "Sainte-Marie-aux-Mines",
                ],
            },
        ],
    },
];

/// People schools are named after: national figures and figures of Champagne-Ardenne, Lorraine and Alsace.
#[rustfmt::skip]
pub const NAMESAKES: &[&str] = &[
    // National figures.
    "Jean Moulin", "Marie Curie", "Victor Hugo", "Jules Verne", "Louis Pasteur", "Jean Jaurès", "Simone Veil",
    "Lucie Aubrac", "Georges Brassens", "Jacques Prévert", "Émile Zola", "Molière", "Voltaire", "Jean Racine",
    "Antoine de Saint-Exupéry", "Condorcet", "Montesquieu", "Jean de La Fontaine", "Albert Camus",
    "Paul Éluard", "Louis Aragon", "Elsa Triolet", "Guillaume Apollinaire", "Marcel Pagnol", "Jean Rostand",
    "Irène Joliot-Curie", "Paul Langevin", "André Malraux", "Jean Giono", "Romain Rolland", "Anatole France",
    "Charles Péguy", "Germaine Tillion", "Geneviève de Gaulle-Anthonioz", "Pierre Brossolette", "Jean Zay",
    "Olympe de Gouges", "Simone de Beauvoir", "George Sand", "Colette", "Marguerite Yourcenar",
    "Pierre Mendès France", "Jacques Monod", "Paul-Émile Victor", "Jean Monnet", "Aristide Briand",
    "Georges Clemenceau", "Jean Mermoz", "Hélène Boucher", "Claude Debussy", "Hector Berlioz",
    "Joséphine Baker", "Nelson Mandela", "Rosa Parks", "Charles de Gaulle", "Jacques Brel",
    "Missak Manouchian", "Gisèle Halimi", "Samuel Paty", "Louis Armand",
    // Champagne-Ardenne.
    "Arthur Rimbaud", "Denis Diderot", "Louise Michel", "Gaston Bachelard", "Camille Claudel",
    "Chrétien de Troyes", "Auguste Renoir", "Nicolas Appert", "Jean-Baptiste de La Salle", "Colbert",
    "Paul Fort", "Roger Caillois", "Turenne", "Jean-Baptiste Clément", "Dom Pérignon",
    // Lorraine.
    "Paul Verlaine", "Robert Schuman", "Jeanne d'Arc", "Jules Ferry", "Raymond Poincaré", "Henri Poincaré",
    "Georges de La Tour", "Émile Gallé", "Jean Prouvé", "Victor Prouvé", "Jacques Callot", "Claude Gellée",
    "Hubert Curien", "Maurice Barrès", "Marie Marvingt", "Ambroise Thomas", "Gabriel Pierné", "Stanislas",
    "Jean-Marie Pelt", "Erckmann-Chatrian", "Edmond de Goncourt", "Hubert Lyautey",
    // Alsace.
    "Jean-Baptiste Kléber", "Albert Schweitzer", "Auguste Bartholdi", "Gustave Doré", "Jean Arp",
    "Tomi Ungerer", "Jean-Frédéric Oberlin", "Marc Bloch", "Louise Weiss", "Alfred Kastler",
    "Victor Schoelcher", "Marcel Marceau", "Gutenberg", "Sébastien Brant", "Mathias Grünewald", "Hansi",
    "Charles de Foucauld", "Martin Schongauer", "Charles Friedel", "Jean-Jacques Henner",
];

/// A subject: its 6-digit code, its label in capitals as in STS-Web, and a short label for display.
pub struct SubjectData {
    pub code: &'static str,
    pub label: &'static str,
    pub short: &'static str,
}

const fn subject(code: &'static str, label: &'static str, short: &'static str) -> SubjectData {
    SubjectData { code, label, short }
}

/// The subjects taught in the region's collèges, lycées and lycées agricoles, plus the documentalist's.
pub const SUBJECTS: &[SubjectData] = &[
    subject("020700", "FRANCAIS", "Français"),
    subject("061200", "MATHEMATIQUES", "Mathématiques"),
    subject("040600", "HISTOIRE-GEOGRAPHIE", "Histoire-géographie"),
    subject("040700", "ENSEIGNEMENT MORAL ET CIVIQUE", "EMC"),
    subject("030201", "ANGLAIS LV1", "Anglais LV1"),
    subject("030101", "ALLEMAND LV1", "Allemand LV1"),
    subject("030102", "ALLEMAND LV2", "Allemand LV2"),
    subject("030602", "ESPAGNOL LV2", "Espagnol LV2"),
    subject("030702", "ITALIEN LV2", "Italien LV2"),
    subject("062900", "SCIENCES DE LA VIE ET DE LA TERRE", "SVT"),
    subject("061300", "PHYSIQUE-CHIMIE", "Physique-chimie"),
    subject("062600", "SCIENCES ET TECHNOLOGIE", "Sciences et technologie"),
    subject("070400", "TECHNOLOGIE", "Technologie"),
    subject("100100", "EDUCATION PHYSIQUE ET SPORTIVE", "EPS"),
    subject("080100", "ARTS PLASTIQUES", "Arts plastiques"),
    subject("082100", "EDUCATION MUSICALE", "Éducation musicale"),
    subject("020500", "LATIN", "Latin"),
    subject("020400", "GREC", "Grec ancien"),
    subject("050300", "SCIENCES ECONOMIQUES ET SOCIALES", "SES"),
    subject("010100", "PHILOSOPHIE", "Philosophie"),
    subject("071300", "SCIENCES NUMERIQUES ET TECHNOLOGIE", "SNT"),
    subject("071400", "NUMERIQUE ET SCIENCES INFORMATIQUES", "NSI"),
    subject("063000", "ENSEIGNEMENT SCIENTIFIQUE", "Enseignement scientifique"),
    subject(
        "040800",
        "HISTOIRE-GEOGRAPHIE, GEOPOLITIQUE ET SCIENCES POLITIQUES",
        "HGGSP",
    ),
    subject("020900", "HUMANITES, LITTERATURE ET PHILOSOPHIE", "HLP"),
    subject(
        "030210",
        "LANGUES, LITTERATURES ET CULTURES ETRANGERES ANGLAIS",
        "LLCER anglais",
    ),
    subject("090100", "AGRONOMIE", "Agronomie"),
    subject("090200", "BIOLOGIE-ECOLOGIE", "Biologie-écologie"),
    subject("090300", "SCIENCES ET TECHNIQUES DES EQUIPEMENTS", "STE"),
    subject("090400", "ZOOTECHNIE", "Zootechnie"),
    subject("090500", "EDUCATION SOCIOCULTURELLE", "Éducation socioculturelle"),
    subject("090600", "SCIENCES ECONOMIQUES, SOCIALES ET DE GESTION", "SESG"),
    subject("980100", "DOCUMENTATION", "Documentation"),
];

/// The kind of school a year level belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    College,
    Lycee,
    LyceeAgricole,
}

/// A year level (MEF): 11-digit code, label, class-name prefix, school kind, age of its students on
/// 1 September, and the codes of the core subjects taught to every class.
pub struct MefData {
    pub code: &'static str,
    pub label: &'static str,
    pub class_prefix: &'static str,
    pub level: Level,
    pub age: u8,
    pub subjects: &'static [&'static str],
}

/// Core subjects of 5EME, 4EME and 3EME.
const CYCLE_4: &[&str] = &[
    "020700", "061200", "040600", "040700", "030201", "062900", "061300", "070400", "100100", "080100",
    "082100",
];

/// The year levels, one per age within each kind of school, youngest first.
pub const MEFS: &[MefData] = &[
    MefData {
        code: "10010012110",
        label: "6EME",
        class_prefix: "6",
        level: Level::College,
        age: 11,
        subjects: &[
            "020700", "061200", "040600", "040700", "030201", "062600", "100100", "080100", "082100",
        ],
    },
    MefData {
        code: "10110001110",
        label: "5EME",
        class_prefix: "5",
        level: Level::College,
        age: 12,
        subjects: CYCLE_4,
    },
    MefData {
        code: "10210001110",
        label: "4EME",
        class_prefix: "4",
        level: Level::College,
        age: 13,
        subjects: CYCLE_4,
    },
    MefData {
        code: "10310019110",
        label: "3EME",
        class_prefix: "3",
        level: Level::College,
        age: 14,
        subjects: CYCLE_4,
    },
    MefData {
        code: "20010018110",
        label: "2NDE GT",
        class_prefix: "2",
        level: Level::Lycee,
        age: 15,
        subjects: &[
            "020700", "061200", "040600", "040700", "030201", "062900", "061300", "050300", "071300",
            "100100",
        ],
    },
    MefData {
        code: "20111010110",
        label: "1ERE G",
        class_prefix: "1",
        level: Level::Lycee,
        age: 16,
        subjects: &["020700", "040600", "040700", "030201", "063000", "100100"],
    },
    MefData {
        code: "20211010110",
        label: "TLE G",
        class_prefix: "T",
        level: Level::Lycee,
        age: 17,
        subjects: &["010100", "040600", "040700", "030201", "063000", "100100"],
    },
    MefData {
        code: "27610001110",
        label: "2NDE PRO AGRI",
        class_prefix: "2",
        level: Level::LyceeAgricole,
        age: 15,
        subjects: &[
            "020700", "061200", "040600", "030201", "100100", "061300", "090100", "090200", "090300",
            "090400", "090500",
        ],
    },
    MefData {
        code: "23111004110",
        label: "1ERE STAV",
        class_prefix: "1",
        level: Level::LyceeAgricole,
        age: 16,
        subjects: &[
            "020700", "061200", "040600", "030201", "100100", "061300", "090100", "090200", "090500",
            "090600",
        ],
    },
    MefData {
        code: "23211004110",
        label: "TLE STAV",
        class_prefix: "T",
        level: Level::LyceeAgricole,
        age: 17,
        subjects: &[
            "010100", "061200", "040600", "030201", "100100", "090100", "090200", "090300", "090600",
        ],
    },
];

/// An optional subject taught in groups: the share of students (percent) taking it, in the given kind of
/// school, from the given age on.
pub struct OptionData {
    pub subject: &'static str,
    pub percent: u8,
    pub level: Level,
    pub from_age: u8,
}

const fn option(subject: &'static str, percent: u8, level: Level, from_age: u8) -> OptionData {
    OptionData {
        subject,
        percent,
        level,
        from_age,
    }
}

/// Options (LV2, ancient languages, bilingual German, lycée specialties).
pub const OPTIONS: &[OptionData] = &[
    // Collège: bilingual German from 6EME, second modern language and Latin from 5EME, Greek from 3EME.
    option("030101", 15, Level::College, 11),
    option("030602", 60, Level::College, 12),
    option("030102", 25, Level::College, 12),
    option("030702", 10, Level::College, 12),
    option("020500", 20, Level::College, 12),
    option("020400", 4, Level::College, 14),
    // Lycée: second modern language and Latin throughout, specialties from 1ERE.
    option("030602", 60, Level::Lycee, 15),
    option("030102", 30, Level::Lycee, 15),
    option("030702", 8, Level::Lycee, 15),
    option("020500", 6, Level::Lycee, 15),
    option("061200", 60, Level::Lycee, 16),
    option("061300", 40, Level::Lycee, 16),
    option("062900", 35, Level::Lycee, 16),
    option("050300", 40, Level::Lycee, 16),
    option("040800", 35, Level::Lycee, 16),
    option("020900", 20, Level::Lycee, 16),
    option("030210", 25, Level::Lycee, 16),
    option("071400", 12, Level::Lycee, 16),
    // Lycée agricole: second modern language in the technological track.
    option("030602", 55, Level::LyceeAgricole, 16),
    option("030102", 35, Level::LyceeAgricole, 16),
];

/// Staff functions as in AAF ENTPersonFonctions, (code, label).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("DIR", "DIRECTION"),
    ("EDU", "EDUCATION"),
    ("DOC", "DOCUMENTATION"),
    ("ADM", "ADMINISTRATION"),
    ("ENS", "ENSEIGNEMENT"),
    ("ORI", "ORIENTATION"),
    ("MDS", "MEDICO-SOCIAL"),
    ("LAB", "LABORATOIRE"),
    ("SUR", "SURVEILLANCE"),
    ("OUV", "PERSONNEL TECHNIQUE"),
];

/// Relationships of a legal representative to a student. "MERE" and "PERE" come first; the others follow.
pub const RELATIONS: &[&str] = &[
    "MERE",
    "PERE",
    "TUTEUR",
    "AUTRE MEMBRE DE LA FAMILLE",
    "AIDE SOCIALE A L'ENFANCE",
    "AUTRE LIEN",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str, n: usize) -> bool {
        s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
    }

    fn subject_exists(code: &str) -> bool {
        SUBJECTS.iter().any(|s| s.code == code)
    }

    fn no_duplicates(items: &[&str]) -> bool {
        items.iter().enumerate().all(|(i, a)| !items[i + 1..].contains(a))
    }

    #[test]
    fn given_names_meet_the_minimums_without_duplicates() {
        for list in [YOUNG_GIVEN_NAMES, ADULT_GIVEN_NAMES] {
            assert!(list.iter().filter(|(_, f)| *f).count() >= 120);
            assert!(list.iter().filter(|(_, f)| !*f).count() >= 120);
            let names: Vec<&str> = list.iter().map(|(n, _)| *n).collect();
            assert!(no_duplicates(&names));
            assert!(names.iter().all(|n| !n.is_empty() && n.trim() == *n));
        }
    }

    #[test]
    fn surnames_meet_the_minimum_without_duplicates() {
        assert!(SURNAMES.len() >= 300);
        assert!(no_duplicates(SURNAMES));
        assert!(SURNAMES.iter().all(|n| !n.is_empty() && n.trim() == *n));
        for name in [
            "Muller", "Schmitt", "Meyer", "Klein", "Da Silva", "Lefèvre", "Nguyen",
        ] {
            assert!(SURNAMES.contains(&name));
        }
    }

    #[test]
    fn academies_and_departments_are_complete() {
        let codes: Vec<&str> = ACADEMIES.iter().map(|a| a.code).collect();
        assert!(codes == ["REIMS", "NANCY-METZ", "STRASBOURG"]);
        let numbers: Vec<&str> = ACADEMIES
            .iter()
            .flat_map(|a| a.departments.iter().map(|d| d.number))
            .collect();
        assert!(numbers.len() == 10);
        assert!(no_duplicates(&numbers));
        for department in ACADEMIES.iter().flat_map(|a| a.departments) {
            assert!(digits(department.number, 3));
            assert!(department.cities.len() >= 12);
            assert!(no_duplicates(department.cities));
        }
        let cities: Vec<&str> = ACADEMIES
            .iter()
            .flat_map(|a| a.departments.iter().flat_map(|d| d.cities.iter().copied()))
            .collect();
        assert!(no_duplicates(&cities));
    }

    #[test]
    fn namesakes_meet_the_minimum_without_duplicates() {
        assert!(NAMESAKES.len() >= 80);
        assert!(no_duplicates(NAMESAKES));
    }

    #[test]
    fn subject_codes_are_unique_six_digit_strings() {
        let codes: Vec<&str> = SUBJECTS.iter().map(|s| s.code).collect();
        assert!(codes.iter().all(|c| digits(c, 6)));
        assert!(no_duplicates(&codes));
        let labels: Vec<&str> = SUBJECTS.iter().map(|s| s.label).collect();
        assert!(no_duplicates(&labels));
        assert!(
            SUBJECTS
                .iter()
                .any(|s| s.code == "030201" && s.label == "ANGLAIS LV1")
        );
        assert!(
            SUBJECTS
                .iter()
                .any(|s| s.code == "061300" && s.label == "PHYSIQUE-CHIMIE")
        );
        assert!(SUBJECTS.iter().any(|s| s.label == "DOCUMENTATION"));
    }

    #[test]
    fn mefs_are_unique_and_reference_known_subjects() {
        let codes: Vec<&str> = MEFS.iter().map(|m| m.code).collect();
        assert!(codes.iter().all(|c| digits(c, 11)));
        assert!(no_duplicates(&codes));
        for level in [Level::College, Level::Lycee, Level::LyceeAgricole] {
            let ages: Vec<u8> = MEFS.iter().filter(|m| m.level == level).map(|m| m.age).collect();
            assert!(!ages.is_empty());
            assert!(ages.windows(2).all(|w| w[0] < w[1]));
            let prefixes: Vec<&str> = MEFS
                .iter()
                .filter(|m| m.level == level)
                .map(|m| m.class_prefix)
                .collect();
            assert!(no_duplicates(&prefixes));
        }
        for mef in MEFS {
            assert!((11..=17).contains(&mef.age));
            assert!(mef.subjects.len() >= 6);
            assert!(no_duplicates(mef.subjects));
            assert!(mef.subjects.iter().all(|s| subject_exists(s)));
        }
    }

    #[test]
    fn options_reference_known_subjects_outside_the_core() {
        for option in OPTIONS {
            assert!(subject_exists(option.subject));
            assert!((1..=100).contains(&option.percent));
            assert!(
                MEFS.iter()
                    .any(|m| m.level == option.level && m.age >= option.from_age)
            );
            let clash = MEFS
                .iter()
                .filter(|m| m.level == option.level && m.age >= option.from_age)
                .any(|m| m.subjects.contains(&option.subject));
            assert!(!clash);
        }
    }

    #[test]
    fn functions_and_relations_are_complete() {
        let codes: Vec<&str> = FUNCTIONS.iter().map(|(c, _)| *c).collect();
        assert!(no_duplicates(&codes));
        for label in [
            "DIRECTION",
            "EDUCATION",
            "DOCUMENTATION",
            "ADMINISTRATION",
            "ENSEIGNEMENT",
        ] {
            assert!(FUNCTIONS.iter().any(|(_, l)| *l == label));
        }
        assert!(RELATIONS.len() > 2 && RELATIONS[0] == "MERE" && RELATIONS[1] == "PERE");
        assert!(no_duplicates(RELATIONS));
    }
}
