package poll

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCreateMakesPollsOfBothKinds(t *testing.T) {
	tests := []struct {
		name     string
		kind     Kind
		args     string
		keys     []string
		max      int
		proposed bool
		question string
	}{
		{"values after the bar", Values, "max=2 Mag dit? | privacy, gelijkheid", []string{"privacy", "gelijkheid"}, 2, false, "Mag dit?"},
		{"a casus may contain a bar", Values, "Dit | of dat? | privacy, orde", []string{"privacy", "orde"}, 3, false, "Dit | of dat?"},
		{"values proposed from the text", Values, "Mag de gemeente camera's met gezichtsherkenning ophangen?", nil, 3, true, "Mag de gemeente camera's met gezichtsherkenning ophangen?"},
		{"statement", Statement, "anoniem De gemeente mag dit.", []string{"eens", "neutraal", "oneens"}, 1, false, "De gemeente mag dit."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			p := f.create(tc.kind, tc.args)
			var keys []string
			for _, o := range p.Options {
				keys = append(keys, o.Key)
			}
			if tc.keys != nil && !slices.Equal(keys, tc.keys) {
				t.Errorf("options %v, want %v", keys, tc.keys)
			}
			if p.Max != tc.max || p.Proposed != tc.proposed || p.Question != tc.question || p.Kind != tc.kind {
				t.Errorf("got %+v", p)
			}
			if tc.proposed && !slices.Contains(keys, "privacy") {
				t.Errorf("privacy not proposed for cameras: %v", keys)
			}
			stored, _, err := f.st.Poll(context.Background(), p.ID)
			if err != nil || stored.ID != p.ID || stored.Where != in("anna").Where || !stored.Created.Equal(f.clock.Now()) {
				t.Errorf("stored %+v, %v", stored, err)
			}
		})
	}
}

func TestCreateRefusesWithTheReason(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		input string
		key   string
		args  []any
	}{
		{"one value", Values, "Tekst | privacy", "poll.few_options", []any{1, 2}},
		{"one value after merging", Values, "Tekst | privacy, Privacy", "poll.few_options", []any{1, 2}},
		{"eleven values", Values, "Tekst | a1, b2, c3, d4, e5, f6, g7, h8, i9, j10, k11", "poll.many_options", []any{11, 10}},
		{"nothing at stake", Values, "Blabla blabla.", "poll.none_proposed", []any{2}},
		{"no text", Values, "| privacy, orde", "poll.empty", nil},
		{"max in a statement", Statement, "max=2 Tekst", "poll.stelling_max", nil},
		{"no statement", Statement, "anoniem", "poll.empty", nil},
		{"bad setting", Statement, "duur=5x Tekst", "poll.bad_duration", []any{Echo{"5x", 20}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.Create(context.Background(), in("anna"), tc.kind, tc.input)
			r := refusal(t, err)
			if r.Key != tc.key || !slices.Equal(r.Args, tc.args) || !errors.Is(err, ErrBadInput) {
				t.Errorf("refusal %s %v, want %s %v", r.Key, r.Args, tc.key, tc.args)
			}
			if len(f.st.polls) != 0 {
				t.Errorf("a refused poll was stored")
			}
		})
	}
}

func TestPollIDsAreShortUnambiguousAndUnique(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for range 300 {
		id := f.create(Statement, "Tekst").ID
		if len(id) < 4 || len(id) > 6 || !idPattern(id) || seen[id] {
			t.Fatalf("ID %q is ambiguous, too long or seen before", id)
		}
		seen[id] = true
	}
}

// counts is the tally of b without the options that have no votes.
func counts(b Ballot) map[string]int {
	got := maps.Clone(b.Tally.Votes)
	maps.DeleteFunc(got, func(_ string, n int) bool { return n == 0 })
	return got
}

func TestVoteReplacesWithdrawsAndKeepsTheEarlierVoteOnARefusal(t *testing.T) {
	f := newFixture(t)
	id := f.create(Values, "max=2 Tekst | gelijkheid, keuzevrijheid, toegankelijkheid, privacy").ID
	ctx := context.Background()
	steps := []struct {
		name, input string
		key         string // of the refusal; empty: the vote counts
		changed     bool
		want        map[string]int
	}{
		{"first vote", "gelijkheid, privacy", "", true, map[string]int{"gelijkheid": 1, "privacy": 1}},
		{"the same vote again", "privacy, gelijkheid", "", false, map[string]int{"gelijkheid": 1, "privacy": 1}},
		{"again replaces", "2", "", true, map[string]int{"keuzevrijheid": 1}},
		{"more than max", "1, 2, 3", "vote.too_many", false, map[string]int{"keuzevrijheid": 1}},
		{"unknown option", "vooruitgang", "vote.unknown", false, map[string]int{"keuzevrijheid": 1}},
		{"withdraw", "", "", true, map[string]int{}},
		{"withdraw no vote", "", "", false, map[string]int{}},
	}
	for _, s := range steps {
		b, err := f.svc.Vote(ctx, in("bob"), strings.ToUpper(id), s.input)
		if s.key != "" {
			if r := refusal(t, err); r.Key != s.key {
				t.Errorf("%s: refusal %s, want %s", s.name, r.Key, s.key)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if b.Changed != s.changed || !maps.Equal(counts(b), s.want) || b.Poll.ID != id {
			t.Errorf("%s: changed %v, counts %v; want %v %v", s.name, b.Changed, counts(b), s.changed, s.want)
		}
	}
}

func TestVoteIsRefusedElsewhereAfterTheDeadlineAndForAnUnknownPoll(t *testing.T) {
	f := newFixture(t)
	id := f.create(Statement, "duur=1u Tekst").ID
	ctx := context.Background()
	_, err := f.svc.Vote(ctx, in("bob", "c2"), id, "eens")
	if r := refusal(t, err); !errors.Is(err, ErrOtherChannel) || r.Key != "poll.other_channel" {
		t.Errorf("from another channel: %v", err)
	}
	_, err = f.svc.Vote(ctx, in("bob"), "zzzz", "eens")
	if r := refusal(t, err); !errors.Is(err, ErrNotFound) || !slices.Equal(r.Args, []any{Echo{"zzzz", 10}}) {
		t.Errorf("unknown poll: %v %v", err, r.Args)
	}
	f.svc.Vote(ctx, in("bob"), id, "eens")
	f.clock.Add(time.Hour) // the deadline alone closes it
	b, err := f.svc.Vote(ctx, in("bob"), id, "oneens")
	if r := refusal(t, err); !errors.Is(err, ErrClosed) || r.Key != "vote.closed" || !slices.Equal(b.Vote.Choices, []string{"eens"}) {
		t.Errorf("after the deadline: %v, vote %v", err, b.Vote.Choices)
	}
}

func TestToggleAddsRemovesAndRespectsMax(t *testing.T) {
	f := newFixture(t)
	id := f.create(Values, "max=2 Tekst | gelijkheid, keuzevrijheid, toegankelijkheid, privacy").ID
	steps := []struct {
		key     string
		refusal string
		want    map[string]int
	}{
		{"privacy", "", map[string]int{"privacy": 1}},
		{"gelijkheid", "", map[string]int{"privacy": 1, "gelijkheid": 1}},
		{"keuzevrijheid", "vote.too_many", map[string]int{"privacy": 1, "gelijkheid": 1}},
		{"privacy", "", map[string]int{"gelijkheid": 1}},
		{"nope", "vote.unknown", map[string]int{"gelijkheid": 1}},
		{"gelijkheid", "", map[string]int{}},
	}
	for i, s := range steps {
		b, err := f.svc.Toggle(context.Background(), in("bob"), id, s.key)
		if (err != nil) != (s.refusal != "") || (err != nil && refusal(t, err).Key != s.refusal) {
			t.Fatalf("step %d (%s): %v, want refusal %q", i, s.key, err, s.refusal)
		}
		if !maps.Equal(counts(b), s.want) {
			t.Fatalf("step %d (%s): %v, want %v", i, s.key, counts(b), s.want)
		}
	}
}

func TestToggleInAMaxOnePollMovesTheVote(t *testing.T) {
	for _, args := range []struct {
		kind Kind
		text string
		a, b string
	}{
		{Statement, "Tekst", "eens", "oneens"},
		{Values, "max=1 Tekst | privacy, orde, gelijkheid", "privacy", "orde"},
	} {
		t.Run(string(args.kind), func(t *testing.T) {
			f := newFixture(t)
			id := f.create(args.kind, args.text).ID
			ctx := context.Background()
			f.svc.Toggle(ctx, in("bob"), id, args.a)
			b, err := f.svc.Toggle(ctx, in("bob"), id, args.b)
			if err != nil || !maps.Equal(counts(b), map[string]int{args.b: 1}) || b.Tally.Voters != 1 {
				t.Errorf("got %v voters %d, %v", counts(b), b.Tally.Voters, err)
			}
			b, err = f.svc.Toggle(ctx, in("bob"), id, args.b)
			if err != nil || len(counts(b)) != 0 || b.Tally.Voters != 0 {
				t.Errorf("a second click on the chosen option: %v voters %d, %v", counts(b), b.Tally.Voters, err)
			}
		})
	}
}
