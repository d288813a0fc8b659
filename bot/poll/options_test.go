package poll

import (
	"slices"
	"testing"
)

func TestValuesAreFoundOnTheMapOrKeptAsTyped(t *testing.T) {
	tests := []struct {
		name, list string
		keys       []string
		onMap      []bool
	}{
		{"on the map", "privacy, gelijkheid", []string{"privacy", "gelijkheid"}, []bool{true, true}},
		{"typo and synonym are forgiven", "privasy, keuze", []string{"privacy", "keuzevrijheid"}, []bool{true, true}},
		{"not on the map is kept and marked", "toegankelijkheid; digitale inclusie", []string{"toegankelijkheid", "digitale-inclusie"}, []bool{false, false}},
		{"duplicates are merged", "privacy, Privacy, privasy, gelijkheid", []string{"privacy", "gelijkheid"}, []bool{true, true}},
		{"quotes and punctuation alone are dropped", `"privacy", '…', , !!`, []string{"privacy"}, []bool{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var keys []string
			var onMap []bool
			for _, o := range valueOptions(kb, tc.list) {
				keys, onMap = append(keys, o.Key), append(onMap, o.OnMap)
			}
			if !slices.Equal(keys, tc.keys) || !slices.Equal(onMap, tc.onMap) {
				t.Errorf("got %v %v, want %v %v", keys, onMap, tc.keys, tc.onMap)
			}
		})
	}
}

func TestValueNotOnTheMapIsCapitalisedAndShortened(t *testing.T) {
	o := valueOption(kb, "een heel lange waarde die niemand ooit zo zou noemen")
	if o.Label != "Een heel lange waarde die niemand ooit…" || o.OnMap || o.Cluster != "" {
		t.Errorf("got %+v", o)
	}
}

func TestChoicesAreReadAsVotersTypeThem(t *testing.T) {
	values := Poll{Kind: Values, Options: valueOptions(kb, "gelijkheid, keuzevrijheid, toegankelijkheid, privacy")}
	statement := Poll{Kind: Statement, Options: statementOptions([3]string{"eens", "neutraal", "oneens"})}
	tests := []struct {
		name    string
		p       Poll
		input   string
		keys    []string
		unknown string
	}{
		{"numbers, in the poll's order", values, "4, 1", []string{"gelijkheid", "privacy"}, ""},
		{"numbers without commas, word by word", values, "1 4", []string{"gelijkheid", "privacy"}, ""},
		{"keys and labels", values, "Privacy, toegankelijkheid", []string{"toegankelijkheid", "privacy"}, ""},
		{"a value as /waarde finds it", values, "privasy", []string{"privacy"}, ""},
		{"a number out of range", values, "7", nil, "7"},
		{"an unknown word among known ones", values, "gelijkheid, vooruitgang", nil, "vooruitgang"},
		{"everyday words in a statement", statement, "ja", []string{"eens"}, ""},
		{"two words meaning one", statement, "weet niet", []string{"neutraal"}, ""},
		{"a value in a statement is no choice", statement, "privacy", nil, "privacy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys, unknown := choices(kb, tc.p, tc.input)
			if !slices.Equal(keys, tc.keys) || unknown != tc.unknown {
				t.Errorf("got %v %q, want %v %q", keys, unknown, tc.keys, tc.unknown)
			}
		})
	}
}

func TestIDsAreShortAndUnambiguous(t *testing.T) {
	for n := 4; n <= 6; n++ {
		id := NewID(n)
		if len(id) != n || !idPattern(id) {
			t.Errorf("NewID(%d) = %q", n, id)
		}
	}
	if got := NormalizeID("`AB3K`"); got != "ab3k" {
		t.Errorf("NormalizeID = %q, want ab3k", got)
	}
}

// idPattern reports whether id has only characters that do not read alike.
func idPattern(id string) bool {
	for _, c := range id {
		if !slices.Contains([]rune(idAlphabet), c) || c == '0' || c == '1' || c == 'o' || c == 'l' || c == 'i' {
			return false
		}
	}
	return true
}
