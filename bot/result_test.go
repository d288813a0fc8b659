package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// Which values are strong and which pairs are tensions is package poll's
// (its result_test.go); these tests check how the bot says them.

func TestTensionsAreShownWithTheirClusters(t *testing.T) {
	tests := []struct {
		name     string
		values   string
		votes    map[string]int
		strong   []string
		tensions []string
	}{
		{
			name:     "values on the map",
			values:   "privacy, doelmatigheid, orde, gelijkheid",
			votes:    map[string]int{"privacy": 10, "doelmatigheid": 5, "orde": 4, "gelijkheid": 1},
			strong:   []string{"privacy", "doelmatigheid"},
			tensions: []string{"Privacy (Vrijheid) ↔ Doelmatigheid (Nut)"},
		},
		{
			name:     "values off the map",
			values:   "privacy, toegankelijkheid, bestaanszekerheid",
			votes:    map[string]int{"privacy": 4, "toegankelijkheid": 4, "bestaanszekerheid": 4},
			strong:   []string{"privacy", "toegankelijkheid", "bestaanszekerheid"},
			tensions: []string{"Privacy (Vrijheid) ↔ Toegankelijkheid (niet op de Waardenkaart)", "Privacy (Vrijheid) ↔ Bestaanszekerheid (niet op de Waardenkaart)"},
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
				if !strings.Contains(r.Text, "- "+x.Text+"\n") {
					t.Errorf("tension %q not in the text", x.Text)
				}
			}
			if fmt.Sprint(res.Strong) != fmt.Sprint(tc.strong) || fmt.Sprint(tensions) != fmt.Sprint(tc.tensions) {
				t.Errorf("strong %v tensions %q, want %v %q", res.Strong, tensions, tc.strong, tc.tensions)
			}
		})
	}
}

func TestResultShowsTheFollowUpQuestionsAndClusters(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus Tekst | privacy, doelmatigheid, orde").ID
	f.do("bob", "c1", "/stem "+id+" privacy, doelmatigheid")
	r := f.do("anna", "c1", "/sluit "+id)
	qs := r.Poll.Result.Questions
	if len(qs) < 2 {
		t.Fatalf("%d follow-up questions: %v", len(qs), qs)
	}
	for _, q := range qs {
		if !strings.Contains(r.Text, "- "+q.Question+" _(thema "+q.Theme+", bij "+q.Value+")_") {
			t.Errorf("question not in the text: %s", q.Question)
		}
	}
	clusters := map[string]int{}
	for _, c := range r.Poll.Result.Clusters {
		clusters[c.Name] = c.Votes
	}
	if clusters["Vrijheid"] != 1 || clusters["Nut"] != 1 || len(clusters) != 2 || !strings.Contains(r.Text, "Per cluster: Vrijheid 1 · Nut 1") {
		t.Errorf("votes per cluster %v:\n%s", clusters, r.Text)
	}
}
