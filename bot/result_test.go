package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

func TestTensionsArePairsOfStronglyChosenValuesFromDifferentClusters(t *testing.T) {
	tests := []struct {
		name     string
		values   string
		votes    map[string]int
		strong   []string
		tensions []string
	}{
		{
			name:     "half the leader's votes is strong, less is not",
			values:   "privacy, doelmatigheid, orde, gelijkheid",
			votes:    map[string]int{"privacy": 10, "doelmatigheid": 5, "orde": 4, "gelijkheid": 1},
			strong:   []string{"privacy", "doelmatigheid"},
			tensions: []string{"Privacy (Vrijheid) ↔ Doelmatigheid (Nut)"},
		},
		{
			name:   "one cluster is no tension",
			values: "privacy, autonomie, orde",
			votes:  map[string]int{"privacy": 5, "autonomie": 5, "orde": 1},
			strong: []string{"privacy", "autonomie"},
		},
		{
			name:     "a value off the map is its own cluster, two of them are not paired",
			values:   "privacy, toegankelijkheid, bestaanszekerheid",
			votes:    map[string]int{"privacy": 4, "toegankelijkheid": 4, "bestaanszekerheid": 4},
			strong:   []string{"privacy", "toegankelijkheid", "bestaanszekerheid"},
			tensions: []string{"Privacy (Vrijheid) ↔ Toegankelijkheid (niet op de Waardenkaart)", "Privacy (Vrijheid) ↔ Bestaanszekerheid (niet op de Waardenkaart)"},
		},
		{
			name:     "ordered by the weaker value, then the total; three at most",
			values:   "gelijkheid, orde, doelmatigheid, privacy",
			votes:    map[string]int{"privacy": 6, "doelmatigheid": 5, "orde": 4, "gelijkheid": 3},
			strong:   []string{"privacy", "doelmatigheid", "orde", "gelijkheid"},
			tensions: []string{"Privacy (Vrijheid) ↔ Doelmatigheid (Nut)", "Privacy (Vrijheid) ↔ Orde (Hiërarchie)", "Doelmatigheid (Nut) ↔ Orde (Hiërarchie)"},
		},
		{
			name:   "no votes, no tensions",
			values: "privacy, doelmatigheid",
			votes:  map[string]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, bot.Config{})
			id := f.mustPoll("anna", "c1", "/casus max=1 Tekst | "+tc.values).ID
			n := 0
			for key, votes := range tc.votes {
				for range votes {
					n++
					if r := f.do(fmt.Sprint("u", n), "c1", "/stem "+id+" "+key); r.Status != bot.Answered {
						t.Fatal(r.Text)
					}
				}
			}
			r := f.do("anna", "c1", "/sluit "+id)
			res := r.Poll.Result
			if res == nil {
				t.Fatalf("closed poll without result: %s", r.Text)
			}
			var tensions []string
			for _, x := range res.Tensions {
				tensions = append(tensions, x.Text)
				if !strings.Contains(r.Text, x.Text) {
					t.Errorf("tension %q not in the text", x.Text)
				}
			}
			if !slices.Equal(res.Strong, tc.strong) || !slices.Equal(tensions, tc.tensions) {
				t.Errorf("strong %v tensions %q, want %v %q", res.Strong, tensions, tc.strong, tc.tensions)
			}
		})
	}
}

func TestResultHasFollowUpQuestionsForTheWinningValues(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus Tekst | privacy, doelmatigheid, orde").ID
	f.do("bob", "c1", "/stem "+id+" privacy, doelmatigheid")
	r := f.do("anna", "c1", "/sluit "+id)
	qs := r.Poll.Result.Questions
	if len(qs) < 2 || len(qs) > 3 {
		t.Fatalf("%d follow-up questions: %v", len(qs), qs)
	}
	seen := map[string]bool{}
	for _, q := range qs {
		if q.Value != "Privacy" && q.Value != "Doelmatigheid" {
			t.Errorf("question for %s, which did not win", q.Value)
		}
		if seen[q.Theme] {
			t.Errorf("theme %s used twice", q.Theme)
		}
		seen[q.Theme] = true
		if !strings.Contains(r.Text, q.Question) {
			t.Errorf("question not in the text: %s", q.Question)
		}
	}
	if qs[0].Value != "Privacy" || qs[1].Value != "Doelmatigheid" {
		t.Errorf("values do not take turns: %v", qs)
	}
	clusters := map[string]int{}
	for _, c := range r.Poll.Result.Clusters {
		clusters[c.Name] = c.Votes
	}
	if clusters["Vrijheid"] != 1 || clusters["Nut"] != 1 || len(clusters) != 2 {
		t.Errorf("votes per cluster %v", clusters)
	}
}
