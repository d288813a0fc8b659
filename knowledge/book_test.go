package knowledge

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The book's counts, counted by hand from the seed text: the values of a
// cluster are listed alphabetically and the list starts again at A where the
// next cluster begins; the themes of a card's groups likewise.
func TestBookCountsArePinned(t *testing.T) {
	b := MustLoad()
	wantValues := map[string][]string{
		"Vrijheid":         {"Autonomie", "Diversiteit", "Keuzevrijheid", "Privacy"},
		"Rechtvaardigheid": {"Gelijkheid", "Proportionaliteit", "Wederkerigheid"},
		"Puurheid":         {"Beschaving", "Zuiverheid"},
		"Loyaliteit":       {"Gemeenschappelijkheid", "Saamhorigheid", "Trots", "Verbondenheid"},
		"Empathie":         {"Betrokkenheid", "Menselijkheid"},
		"Hiërarchie":       {"Controle", "Gezag", "Orde", "Vertrouwen", "Zeggenschap"},
		"Continuïteit":     {"Beschikbaarheid", "Duurzaamheid", "Gezondheid"},
		"Kwaliteit":        {"Deskundigheid", "Flexibiliteit", "Openheid", "Zorgvuldigheid"},
		"Nut":              {"Doelmatigheid", "Doeltreffendheid", "Vooruitgang"},
	}
	wantKind := map[string]string{
		"Vrijheid": "ideëel", "Rechtvaardigheid": "ideëel", "Puurheid": "ideëel",
		"Loyaliteit": "sociaal", "Empathie": "sociaal", "Hiërarchie": "sociaal",
		"Continuïteit": "praktisch", "Kwaliteit": "praktisch", "Nut": "praktisch",
	}
	if len(b.Clusters) != 9 {
		t.Fatalf("clusters = %d, want 9", len(b.Clusters))
	}
	opinions := 0
	for _, c := range b.Clusters {
		if got := valueNamesOf(c.Values); !slices.Equal(got, wantValues[c.Name]) {
			t.Errorf("cluster %s values = %v, want %v", c.Name, got, wantValues[c.Name])
		}
		if c.Kind != wantKind[c.Name] {
			t.Errorf("cluster %s kind = %q, want %q", c.Name, c.Kind, wantKind[c.Name])
		}
		if c.Description == "" {
			t.Errorf("cluster %s has no description", c.Name)
		}
		for _, v := range c.Values {
			opinions += len(v.Opinions)
			if v.Cluster != c || v.Origin != FromBook {
				t.Errorf("value %s: cluster %v origin %q", v.Name, v.Cluster.Name, v.Origin)
			}
		}
	}
	if got := len(b.Values()); got != 30 {
		t.Errorf("values = %d, want 30", got)
	}
	if opinions != 58 {
		t.Errorf("opinions = %d, want 58", opinions)
	}

	wantThemes := map[string][]string{
		"bedrijfsvoering":   {"Archiefbeheer", "Beveiliging", "Financiën", "Ict-beheer", "Personeel"},
		"uitvoering":        {"Dienstverlening", "Ontwikkeling en beheer openbare ruimte", "Toezicht en handhaving"},
		"bestuur":           {"Besluitvorming", "Participatie"},
		"particulieren":     {"Burgers", "Inwoners", "Werkenden"},
		"private partijen":  {"Aanbieders telecominfrastructuur", "Aanbieders van ict-diensten", "Winkeliers"},
		"publieke partijen": {"Onderwijsinstellingen", "Overheden"},
	}
	wantQuestions := map[string]int{"Vragenkaart gemeentelijke processen": 29, "Vragenkaart belanghebbenden": 15}
	if len(b.Cards) != 2 {
		t.Fatalf("cards = %d, want 2", len(b.Cards))
	}
	for _, c := range b.Cards {
		questions := 0
		for _, g := range c.Groups {
			var names []string
			for _, th := range g.Themes {
				names = append(names, th.Name)
				questions += len(th.Questions)
			}
			if !slices.Equal(names, wantThemes[g.Name]) {
				t.Errorf("group %s themes = %v, want %v", g.Name, names, wantThemes[g.Name])
			}
		}
		if questions != wantQuestions[c.Name] {
			t.Errorf("card %q questions = %d, want %d", c.Name, questions, wantQuestions[c.Name])
		}
	}
	if got := len(b.Themes()); got != 18 {
		t.Errorf("themes = %d, want 18", got)
	}
}

func TestBookQuotesAreVerbatim(t *testing.T) {
	b := MustLoad()
	tests := []struct {
		name  string // value or theme
		quote string
	}{
		{"Privacy", "Burgers moeten zich te allen tijde en overal vrij en onbespied voelen."},
		{"Saamhorigheid", "Online buurtplatforms zijn belangrijk voor burenccontact en -hulp, zoals bewezen is in coronatijd."},
		{"Controle", "Burgers hebben recht op een menselijke oordeel als ze het oneens zijn met automatisch genomen besluiten."},
		{"Openheid", "De gemeente biedt inwoners in de regel inzicht in documenten, debat en besluitvorming ('open tenzij')."},
		{"Doeltreffendheid", "Inzet van data en ict is moet geen doel op zich zijn, wel een middel om beleidsdoelen te bereiken."},
		{"Orde", "De burgemeester moet data en ict maximaal kunnen inzetten om de gemeente veilig te houden, zoals door gezichtsherkenning."},
		{"Toezicht en handhaving", "Welke kaders stellen we voor gebruik van camera's in de openbare ruimte voor toezicht en handhaving?"},
		{"Aanbieders telecominfrastructuur", "Hoe adresseren we zorgen van inwoners over plaatsing van antennes zoals voor 5G bij aanbieders?"},
		{"Ict-beheer", "Welke waarden willen we minimaal borgen als onze gemeente kunstmatige intelligentie wil toepassen?"},
		{"Overheden", "Welke beheersmaatregelen treffen we in de veiligheidsregio voor het geval vitale infrastructuur uitvalt?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var texts []string
			if v := b.value(tc.name); v != nil {
				texts = v.Opinions
			} else if th := b.theme(tc.name); th != nil {
				texts = th.Questions
			} else {
				t.Fatalf("%s not found", tc.name)
			}
			if !slices.Contains(texts, tc.quote) {
				t.Errorf("%s lacks the verbatim text %q; has %q", tc.name, tc.quote, texts)
			}
		})
	}
	// The book's own words never contain the project's additions.
	for _, v := range b.Values() {
		for _, op := range v.Opinions {
			if strings.Contains(op, "waardenbot") {
				t.Errorf("opinion of %s mentions waardenbot: %q", v.Name, op)
			}
		}
	}
}

func TestAdditionsAreKeptApartFromTheBook(t *testing.T) {
	b := MustLoad()
	// Related terms are not values on the map.
	for _, term := range []string{"transparantie", "uitlegbaarheid", "rekenschap", "toegankelijkheid", "bestaanszekerheid", "leefbaarheid"} {
		ms := b.Lookup(term)
		if len(ms) != 1 || ms[0].Related == nil {
			t.Errorf("Lookup(%q) = %+v, want one related term", term, ms)
			continue
		}
		if len(ms[0].Related.Values) == 0 {
			t.Errorf("%s points to no value", term)
		}
	}
	// Every value has themes linked by the project.
	for _, v := range b.Values() {
		if len(v.Themes) == 0 {
			t.Errorf("value %s has no linked themes", v.Name)
		}
	}
}

func TestExportHasTheDocumentedShape(t *testing.T) {
	data, err := json.Marshal(MustLoad().Export())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Clusters []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Kind        string `json:"kind"`
			Values      []struct {
				Name     string   `json:"name"`
				Opinions []string `json:"opinions"`
			} `json:"values"`
		} `json:"clusters"`
		Cards []struct {
			Name   string `json:"name"`
			Groups []struct {
				Name   string `json:"name"`
				Themes []struct {
					Name      string   `json:"name"`
					Questions []string `json:"questions"`
				} `json:"themes"`
			} `json:"groups"`
		} `json:"cards"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Clusters) != 9 || doc.Clusters[0].Name != "Vrijheid" || doc.Clusters[0].Kind != "ideëel" ||
		doc.Clusters[0].Values[3].Name != "Privacy" || len(doc.Clusters[0].Values[3].Opinions) != 2 {
		t.Errorf("clusters not as expected: %+v", doc.Clusters[0])
	}
	if len(doc.Cards) != 2 || doc.Cards[1].Groups[2].Themes[1].Name != "Overheden" || len(doc.Cards[0].Groups[0].Themes[3].Questions) != 5 {
		t.Errorf("cards not as expected")
	}
}

func TestOverlayAddsMunicipalityContent(t *testing.T) {
	path := writeFile(t, "zwolle.yaml", `source:
  title: Principekaart Zwolle
clusters:
  - name: Kwaliteit
    values:
      - name: Digitale inclusie
        opinions:
          - "Iedereen in Zwolle kan meedoen, ook zonder smartphone."
  - name: Wendbaarheid
    description: "gaat over snel kunnen bijsturen."
    kind: praktisch
    values:
      - name: Experimenteerruimte
        opinions: ["We proberen klein en leren snel."]
cards:
  - name: Principekaart Zwolle
    groups:
      - name: principes
        themes:
          - name: Data als gemeengoed
            questions: ["Welke data van de stad delen we met iedereen?"]
`)
	b, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ms := b.Lookup("digitale inclusie")
	if len(ms) == 0 || ms[0].Value == nil || ms[0].Value.Cluster.Name != "Kwaliteit" || ms[0].Value.Origin != "Principekaart Zwolle" {
		t.Fatalf("overlay value not found in its cluster: %+v", ms)
	}
	if len(b.Clusters) != 10 || len(b.Cards) != 3 {
		t.Errorf("clusters %d cards %d, want 10 and 3", len(b.Clusters), len(b.Cards))
	}
	if hits := b.Search("gemeengoed", 5); len(hits) != 0 {
		// Theme names are found by Lookup, questions by Search.
		t.Logf("search hits: %v", hits)
	}
	if ms := b.Lookup("data als gemeengoed"); len(ms) == 0 || ms[0].Theme == nil {
		t.Errorf("overlay theme not found: %+v", ms)
	}
}

func TestOverlayErrorsNameFileLineAndProblem(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		line     int
		contains string
	}{
		{"syntax", "clusters:\n  - name: [Vrijheid\n", -1, "did not find expected"},
		{"unknown key", "clusters:\n  - name: Vrijheid\n    valeus: []\n", 3, `unknown key "valeus"`},
		{"duplicate value", "clusters:\n  - name: Vrijheid\n    values:\n      - name: privacy\n        opinions: [x]\n", 4, `"privacy" is already on the map`},
		{"new cluster without kind", "clusters:\n  - name: Nieuw\n    description: iets\n    values: []\n", 2, "kind must be one of"},
		{"value without opinions", "clusters:\n  - name: Nut\n    values:\n      - name: Snelheid\n", 4, "has no opinions"},
		{"theme without questions", "cards:\n  - name: Eigen\n    groups:\n      - name: g\n        themes:\n          - name: Leeg\n", 6, "has no questions"},
		{"empty overlay", "source:\n  title: x\n", 0, "no clusters or cards"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "overlay.yaml", tc.yaml)
			_, err := Load(path)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FileError", err)
			}
			lineOK := fe.Line == tc.line || (tc.line < 0 && fe.Line > 0)
			if fe.File != path || !lineOK || !strings.Contains(fe.Problem, tc.contains) {
				t.Errorf("got %s:%d: %s; want line %d containing %q", fe.File, fe.Line, fe.Problem, tc.line, tc.contains)
			}
			if !strings.HasPrefix(err.Error(), path) {
				t.Errorf("message %q does not start with the file name", err)
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func valueNamesOf(vs []*Value) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return out
}
