package poll

import (
	"maps"
	"slices"
	"testing"
)

func TestTensionsArePairsOfStronglyChosenValuesFromDifferentClusters(t *testing.T) {
	tests := []struct {
		name     string
		values   string
		votes    map[string]int
		strong   []string
		tensions []string // "a↔b" by key
	}{
		{
			name:     "half the leader's votes is strong, less is not",
			values:   "privacy, doelmatigheid, orde, gelijkheid",
			votes:    map[string]int{"privacy": 10, "doelmatigheid": 5, "orde": 4, "gelijkheid": 1},
			strong:   []string{"privacy", "doelmatigheid"},
			tensions: []string{"privacy↔doelmatigheid"},
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
			tensions: []string{"privacy↔toegankelijkheid", "privacy↔bestaanszekerheid"},
		},
		{
			name:     "ordered by the weaker value, then the total; three at most",
			values:   "gelijkheid, orde, doelmatigheid, privacy",
			votes:    map[string]int{"privacy": 6, "doelmatigheid": 5, "orde": 4, "gelijkheid": 3},
			strong:   []string{"privacy", "doelmatigheid", "orde", "gelijkheid"},
			tensions: []string{"privacy↔doelmatigheid", "privacy↔orde", "doelmatigheid↔orde"},
		},
		{
			name:   "no votes, no tensions",
			values: "privacy, doelmatigheid",
			votes:  map[string]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Poll{Kind: Values, Options: valueOptions(kb, tc.values)}
			r := result(kb, p, Tally{Votes: tc.votes})
			var strong, tensions []string
			for _, o := range r.Strong {
				strong = append(strong, o.Key)
			}
			for _, x := range r.Tensions {
				tensions = append(tensions, x.A.Key+"↔"+x.B.Key)
			}
			if !slices.Equal(strong, tc.strong) || !slices.Equal(tensions, tc.tensions) {
				t.Errorf("strong %v tensions %v, want %v %v", strong, tensions, tc.strong, tc.tensions)
			}
		})
	}
}

func TestResultCountsOptionsAndClustersMostVotesFirst(t *testing.T) {
	p := Poll{Kind: Values, Options: valueOptions(kb, "privacy, doelmatigheid, autonomie, toegankelijkheid")}
	r := result(kb, p, Tally{Votes: map[string]int{"privacy": 1, "doelmatigheid": 3, "autonomie": 2, "toegankelijkheid": 5}, Voters: 6})
	var options, clusters []Count
	options = append(options, r.Options...)
	clusters = append(clusters, r.Clusters...)
	want := []Count{{"toegankelijkheid", "Toegankelijkheid", 5}, {"doelmatigheid", "Doelmatigheid", 3}, {"autonomie", "Autonomie", 2}, {"privacy", "Privacy", 1}}
	if !slices.Equal(options, want) {
		t.Errorf("options %v, want %v", options, want)
	}
	// Privacy and autonomie share Vrijheid; a value off the map has no
	// cluster to count.
	if wantC := []Count{{Name: "Vrijheid", Votes: 3}, {Name: "Nut", Votes: 3}}; !slices.Equal(clusters, wantC) {
		t.Errorf("clusters %v, want %v", clusters, wantC)
	}
	if r.Voters != 6 {
		t.Errorf("voters %d", r.Voters)
	}
}

func TestStatementHasCountsOnly(t *testing.T) {
	p := Poll{Kind: Statement, Options: statementOptions([3]string{"eens", "neutraal", "oneens"})}
	r := result(kb, p, Tally{Votes: map[string]int{"oneens": 2, "eens": 1}, Voters: 3})
	if r.Options[0].Key != "oneens" || r.Clusters != nil || r.Strong != nil || r.Tensions != nil || r.Questions != nil {
		t.Errorf("got %+v", r)
	}
}

func TestFollowUpQuestionsTakeTurnsBetweenTheWinningValues(t *testing.T) {
	p := Poll{Kind: Values, Options: valueOptions(kb, "privacy, doelmatigheid, orde")}
	r := result(kb, p, Tally{Votes: map[string]int{"privacy": 1, "doelmatigheid": 1}, Voters: 1})
	qs := r.Questions
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
	}
	if qs[0].Value != "Privacy" || qs[1].Value != "Doelmatigheid" {
		t.Errorf("values do not take turns: %v", qs)
	}
}

func TestTallyCountsAVoteInPlaceOfTheEarlierOne(t *testing.T) {
	vote := func(keys ...string) Vote { return Vote{Choices: keys} }
	tests := []struct {
		name       string
		prev, next Vote
		votes      map[string]int
		voters     int
	}{
		{"a first vote", vote(), vote("a", "b"), map[string]int{"a": 2, "b": 2, "c": 0}, 2},
		{"a changed vote", vote("a"), vote("b", "c"), map[string]int{"a": 1, "b": 2, "c": 1}, 2},
		{"a withdrawn vote", vote("a"), vote(), map[string]int{"a": 1, "b": 1, "c": 0}, 1},
		{"no vote and still none", vote(), vote(), map[string]int{"a": 1, "b": 1, "c": 0}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Before: one other voter for a and b, and prev.
			tl := Tally{Votes: map[string]int{"a": 1, "b": 1, "c": 0}, Voters: 1}
			tl.Apply(Vote{}, tc.prev)
			tl.Apply(tc.prev, tc.next)
			if !maps.Equal(tl.Votes, tc.votes) || tl.Voters != tc.voters {
				t.Errorf("got %v %d, want %v %d", tl.Votes, tl.Voters, tc.votes, tc.voters)
			}
		})
	}
}
