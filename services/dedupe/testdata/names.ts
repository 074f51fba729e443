// Name, street and company material for the duplicate generator (generator.ts): common German and
// Italian names in rough order of frequency, and syllables for a long tail of rarer family names.
export const GIVEN = {
  de: {
    f: "Anna Maria Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid Erika Andrea Gisela Claudia Susanne Gabriele Christa Christine Hildegard Uta Julia Stefanie Katharina Sandra Nicole Birgit Barbara Martina Heike Laura Lea Lena Hannah Sophie Emma Mia Lina Marie Franziska Johanna Charlotte Clara Paula Greta Ida Frieda Mathilda Nina Miriam Carina Jana Kerstin Tanja Silke Anja Doris Bettina Dagmar Simone Yvonne Melanie Carolin Theresa Veronika Jasmin Svenja Vanessa Jessica Margarete Christina",
    m: "Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Günter Stefan Christian Uwe Werner Frank Horst Bernd Dieter Manfred Ralf Helmut Gerhard Joachim Matthias Markus Alexander Tobias Florian Sebastian Lukas Jonas Leon Felix Paul Maximilian Elias Noah Moritz Jakob Johannes Friedrich Heinrich Wilhelm Karl Ernst Otto Hans Josef Robert Daniel Jan Tim Philipp Simon Benedikt Dominik Fabian Julian Kai Lars Nils Oliver Patrick Rainer Sven Torsten Volker Christoph Bernhard Lorenz Konrad",
  },
  it: {
    f: "Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Antonietta Carla Elena Concetta Rita Margherita Franca Paola Laura Sofia Giulia Aurora Alice Ginevra Emma Giorgia Greta Beatrice Martina Chiara Sara Federica Valentina Silvia Alessandra Elisa Roberta Simona Cristina Daniela Monica Barbara Patrizia Stefania Claudia Ilaria Michela Serena Veronica Eleonora Camilla Noemi Arianna Marta Irene Bianca Vittoria Ludovica Gaia Matilde Nicoletta Ornella Pina Raffaella Sabrina Tiziana Vanessa Antonella Elisabetta",
    m: "Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Alessandro Leonardo Lorenzo Mattia Andrea Gabriele Riccardo Tommaso Edoardo Matteo Marco Luca Davide Simone Federico Stefano Roberto Massimo Fabio Claudio Daniele Emanuele Enrico Filippo Giacomo Jacopo Nicola Alberto Raffaele Renato Sandro Ugo Valerio Vittorio Walter Cesare Dario Ettore Fausto Gianluca Ivan Lino Maurizio Nello Orlando Piero Rocco Silvio Umberto",
  },
};

export const FAMILY = {
  de:
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer",
  it:
    "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola DeSantis DAngelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala DeAngelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino Fiore DeRosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino DAmico Orlando Damico Negri",
};

export const SYLLABLES =
  "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zi zo"
    .split(" ");
export const FAMILY_ENDINGS = {
  de: ["mann", "er", "hauser", "berger", "meier", "huber", "ke", "ling", "bach", "stein"],
  it: ["ni", "lli", "tti", "rdi", "ssi", "no", "one", "ello", "ucci", "ari"],
};

export const STREETS = {
  de: [
    "Hauptstraße",
    "Schulstraße",
    "Gartenstraße",
    "Bahnhofstraße",
    "Dorfstraße",
    "Bergstraße",
    "Lindenstraße",
    "Leopoldstraße",
    "Kirchweg",
    "Am Markt",
    "Goethestraße",
    "Schillerplatz",
  ],
  it: [
    "Via Roma",
    "Via Garibaldi",
    "Via Mazzini",
    "Via Dante",
    "Corso Italia",
    "Piazza della Repubblica",
    "Via Verdi",
    "Viale Europa",
    "Via Torino",
    "Via Cavour",
    "Corso Vittorio Emanuele",
    "Via Brera",
  ],
};
export const CITIES: Record<"de" | "it", ReadonlyArray<readonly [string, string, string]>> = {
  de: [["Berlin", "10", "30"], ["München", "80", "89"], ["Hamburg", "20", "40"], ["Köln", "50", "221"], [
    "Frankfurt am Main",
    "60",
    "69",
  ]],
  it: [["Roma", "00", "06"], ["Milano", "20", "02"], ["Torino", "10", "011"], ["Napoli", "80", "081"], [
    "Bologna",
    "40",
    "051",
  ]],
};

export const COMPANY_STEMS =
  "Immobilien Haus Wohnbau Bau Invest Consulting Partner Grund Casa Edil Immobiliare Costruzioni Studio Tecnica Verwaltung Projekt Kontor Agenzia Servizi Gruppo"
    .split(" ");
export const LEGAL_FORMS = { de: ["GmbH", "AG", "KG", "GmbH & Co. KG"], it: ["S.r.l.", "S.p.A.", "S.n.c.", "SRL"] };
export const PROVIDERS = {
  de: ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com", "yahoo.de", "posteo.de"],
  it: ["gmail.com", "libero.it", "virgilio.it", "outlook.it", "yahoo.it", "tiscali.it", "alice.it"],
};
