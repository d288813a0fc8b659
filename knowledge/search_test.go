package knowledge

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestLookupIsForgiving(t *testing.T) {
	b := MustLoad()
	tests := []struct {
		name      string
		query     string
		want      string // the first match's name
		corrected bool
	}{
		{"exact value", "privacy", "Privacy", false},
		{"case", "PRIVACY", "Privacy", false},
		{"diacritics folded", "hierarchie", "Hiërarchie", false},
		{"diacritics folded 2", "continuiteit", "Continuïteit", false},
		{"diacritics kept", "Continuïteit", "Continuïteit", false},
		{"typo", "privasy", "Privacy", true},
		{"two typos in a long word", "doelmatighied", "Doelmatigheid", true},
		{"theme with hyphen as words", "ict beheer", "Ict-beheer", false},
		{"words inside a theme", "openbare ruimte", "Ontwikkeling en beheer openbare ruimte", false},
		{"group", "bestuur", "bestuur", false},
		{"curly quotes around", "“privacy”", "Privacy", false},
		{"double spaces", "toezicht   en  handhaving", "Toezicht en handhaving", false},
		{"synonym", "efficiëntie", "Doelmatigheid", false},
		{"related term", "transparantie", "transparantie", false},
		{"card by the book's spelling", "Vragenkaart gemeentelijk processen", "Vragenkaart gemeentelijke processen", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := b.Lookup(tc.query)
			if len(ms) == 0 {
				t.Fatalf("Lookup(%q) found nothing", tc.query)
			}
			if ms[0].Name != tc.want || ms[0].Corrected != tc.corrected {
				t.Errorf("Lookup(%q) = %q corrected=%v, want %q corrected=%v", tc.query, ms[0].Name, ms[0].Corrected, tc.want, tc.corrected)
			}
		})
	}
}

func TestLookupFindsNothingForUnrelatedWords(t *testing.T) {
	b := MustLoad()
	for _, q := range []string{"", "   ", "xyzzy", "a", "de", "camera", "!!!"} {
		if ms := b.Lookup(q); len(ms) != 0 {
			t.Errorf("Lookup(%q) = %q, want nothing", q, ms[0].Name)
		}
	}
}

func TestSearchFindsOpinionsAndQuestions(t *testing.T) {
	b := MustLoad()
	tests := []struct {
		query string
		want  string // a value or theme among the hits
	}{
		{"camera", "Toezicht en handhaving"},
		{"camera's", "Toezicht en handhaving"},
		{"5g", "Aanbieders telecominfrastructuur"},
		{"airbnb", "Wederkerigheid"},
		{"airbnb", "Inwoners"},
		{"algoritme", "Gelijkheid"},
		{"algoritme", "Ict-beheer"},
		{"gezichtsherkenning", "Orde"},
		{"privacyregels", "Beveiliging"},
		{"open source", "Ict-beheer"},
	}
	for _, tc := range tests {
		t.Run(tc.query+"→"+tc.want, func(t *testing.T) {
			var got []string
			for _, h := range b.Search(tc.query, 10) {
				if h.Value != nil {
					got = append(got, h.Value.Name)
				} else {
					got = append(got, h.Theme.Name)
				}
			}
			if !contains(got, tc.want) {
				t.Errorf("Search(%q) = %v, want %s among them", tc.query, got, tc.want)
			}
		})
	}
}

func TestSuggestOffersCloseNames(t *testing.T) {
	b := MustLoad()
	got := b.Suggest("vertrouwn", 3)
	if len(got) == 0 || got[0] != "Vertrouwen" {
		t.Errorf("Suggest = %v, want Vertrouwen first", got)
	}
	if got := b.Suggest("qqqqqqqqq", 3); len(got) != 3 {
		t.Errorf("Suggest always offers something, got %v", got)
	}
}

func TestAtStakeProposesValuesForACasus(t *testing.T) {
	b := MustLoad()
	tests := []struct {
		text string
		want []string
	}{
		{"Wil ik als gemeente AI inzetten om de eigen dienstverlening te verbeteren?", []string{"Menselijkheid", "Doeltreffendheid"}},
		{"Mag de gemeente inkomensgegevens gebruiken om de energietoeslag automatisch toe te kennen?", []string{"Privacy", "Keuzevrijheid"}},
		{"Camera's met gezichtsherkenning in de binnenstad", []string{"Privacy", "Orde"}},
	}
	for _, tc := range tests {
		var got []string
		for _, v := range b.AtStake(tc.text, 5) {
			got = append(got, v.Name)
		}
		for _, w := range tc.want {
			if !contains(got, w) {
				t.Errorf("AtStake(%q) = %v, want %s", tc.text, got, w)
			}
		}
	}
	if got := b.AtStake("zzz qqq", 5); len(got) != 0 {
		t.Errorf("AtStake of nonsense = %v, want none", got)
	}
}

func TestFirstSearchesAtOnceShareOneIndex(t *testing.T) {
	b := MustLoad() // the index is built by the first search, here by several at once
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Go(func() {
			results[i] = len(b.Lookup("privacy")) + len(b.Search("camera", 10)) + len(b.Suggest("privasy", 3))
		})
	}
	wg.Wait()
	for i, n := range results {
		if n != results[0] || n == 0 {
			t.Fatalf("search %d found %d things, search 0 found %d", i, n, results[0])
		}
	}
	if b.index() != b.index() {
		t.Fatal("the index was built more than once")
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Hiërarchie":          "hierarchie",
		"  Ict-beheer ":       "ict beheer",
		"camera’s":            "camera s",
		"“Privacy”":           "privacy",
		"ÉÉN  twee\tdrie":     "een twee drie",
		"5G":                  "5g",
		"\xff\xfeprivacy":     "privacy",
		"privacy\u200b\u0000": "privacy",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSearch(f *testing.F) {
	b := MustLoad()
	for _, s := range []string{"privacy", "privasy", "hierarchie", "ict beheer", "camera's", "5g", "", "\xff", "@channel", strings.Repeat("a", 300), "“open” source"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, m := range b.Lookup(q) {
			if m.Name == "" {
				t.Fatalf("Lookup(%q) returned a match without a name", q)
			}
		}
		for _, h := range b.Search(q, 10) {
			if h.Text == "" || (h.Value == nil) == (h.Theme == nil) {
				t.Fatalf("Search(%q) returned a malformed hit %+v", q, h)
			}
		}
		if s := b.Suggest(q, 3); len(s) != 3 {
			t.Fatalf("Suggest(%q) = %v", q, s)
		}
		if f := Fold(q); !utf8.ValidString(f) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", q, f)
		}
	})
}

func BenchmarkLookupExact(b *testing.B)      { benchLookup(b, "privacy") }
func BenchmarkLookupFolded(b *testing.B)     { benchLookup(b, "Hiërarchie") }
func BenchmarkLookupTypo(b *testing.B)       { benchLookup(b, "privasy") }
func BenchmarkLookupThemeWords(b *testing.B) { benchLookup(b, "openbare ruimte") }

func benchLookup(b *testing.B, q string) {
	kb := MustLoad()
	b.ReportAllocs()
	for b.Loop() {
		if len(kb.Lookup(q)) == 0 {
			b.Fatal("nothing found")
		}
	}
}

func BenchmarkSearchFreeText(b *testing.B) {
	kb := MustLoad()
	b.ReportAllocs()
	for b.Loop() {
		if len(kb.Search("algoritme", 10)) == 0 {
			b.Fatal("nothing found")
		}
	}
}

// BenchmarkLoad is what a starting bot waits for: the prebuilt base (the
// first call links it; later calls return it).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseYAML is what a starting bot waited for before the base was
// prebuilt, and still waits for with a knowledge_file: both YAML files
// parsed, checked and linked. The search index is built by the first
// lookup.
func BenchmarkParseYAML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseYAMLAndFirstLookup adds the search index that the first
// lookup builds.
func BenchmarkParseYAMLAndFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		kb, err := parse()
		if err != nil {
			b.Fatal(err)
		}
		if len(kb.Lookup("privacy")) == 0 {
			b.Fatal("nothing found")
		}
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
