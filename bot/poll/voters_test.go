package poll

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVotersAreForTheCreatorOrAnAdminAndNeverInAnAnonymousPoll(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := f.create(Values, "max=2 Tekst | privacy, orde, gelijkheid")
	for user, choice := range map[string]string{"bob": "privacy, orde", "carla": "orde"} {
		if _, err := f.svc.Vote(ctx, in(user), p.ID, choice); err != nil {
			t.Fatal(err)
		}
	}
	f.svc.Vote(ctx, in("dirk"), p.ID, "privacy")
	f.svc.Vote(ctx, in("dirk"), p.ID, "") // withdrawn: not a vote

	asked := 0
	ask := func(context.Context) bool { asked++; return false }
	if _, _, _, err := f.svc.Voters(ctx, in("bob"), p.ID, false, ask); !errors.Is(err, ErrNotAllowed) || asked != 1 {
		t.Errorf("a voter: %v, the platform asked %d times", err, asked)
	}
	if _, _, _, err := f.svc.Voters(ctx, in("anna", "c2"), p.ID, false, nil); !errors.Is(err, ErrOtherChannel) {
		t.Errorf("the creator in another channel: %v", err)
	}
	for _, tc := range []struct {
		who   Person
		admin bool
	}{{in("anna"), false}, {in("erik"), true}} {
		_, tally, casts, err := f.svc.Voters(ctx, tc.who, p.ID, tc.admin, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.who.User, err)
		}
		var got []string
		for _, c := range casts {
			got = append(got, c.Voter+"="+strings.Join(c.Vote.Choices, "+")+"/"+c.Vote.Name)
		}
		if strings.Join(got, " ") != "bob=privacy+orde/Naam bob carla=orde/Naam carla" || tally.Voters != 2 {
			t.Errorf("%s got %v", tc.who.User, got)
		}
	}

	anon := f.create(Values, "anoniem Tekst | privacy, orde")
	f.svc.Vote(ctx, in("bob"), anon.ID, "orde")
	if _, _, casts, err := f.svc.Voters(ctx, in("anna"), anon.ID, true, nil); !errors.Is(err, ErrAnonymous) || casts != nil {
		t.Errorf("anonymous: %v %v", err, casts)
	}
	// An anonymous vote keeps no name either.
	for _, c := range f.st.votes[anon.ID] {
		if c.Name != "" {
			t.Errorf("an anonymous vote keeps the name %q", c.Name)
		}
	}

	hidden := f.create(Statement, "verborgen duur=1u Tekst")
	if _, _, _, err := f.svc.Voters(ctx, in("anna"), hidden.ID, false, nil); !errors.Is(err, ErrCountsHidden) {
		t.Errorf("hidden and open: %v", err)
	}
	f.clock.Add(2 * time.Hour)
	if _, _, _, err := f.svc.Voters(ctx, in("anna"), hidden.ID, false, nil); err != nil {
		t.Errorf("hidden and closed: %v", err)
	}
}

func TestSameCasusIsAnEarlierPollOfTheSameTextInTheSameChannel(t *testing.T) {
	f := newFixture(t)
	first := f.create(Values, "Mag de gemeente camera's ophangen? | privacy, orde")
	f.clock.Add(time.Hour)
	again := f.create(Values, "mag de  gemeente CAMERA'S ophangen | orde, gelijkheid")
	other, _ := f.svc.Create(context.Background(), in("anna", "c2"), Values, "Mag de gemeente camera's ophangen? | privacy, orde")
	statement := f.create(Statement, "Mag de gemeente camera's ophangen?")
	for _, tc := range []struct {
		name string
		p, q Poll
		want bool
	}{
		{"an earlier round", again, first, true},
		{"a later round", first, again, false},
		{"itself", first, first, false},
		{"another channel", other, first, false},
		{"a statement", statement, first, false},
	} {
		if got := SameCasus(tc.p, tc.q); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	polls, tallies, err := f.svc.Polls(context.Background(), func(q Poll) bool { return SameCasus(again, q) })
	if err != nil || len(polls) != 1 || polls[0].ID != first.ID || len(tallies) != 1 {
		t.Errorf("earlier rounds %v (%v)", polls, err)
	}
}
