package poll

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestOnlyTheCreatorOrAnAdminCloses(t *testing.T) {
	tests := []struct {
		name   string
		who    Person
		admin  bool
		ask    *bool // what the platform says; nil: it cannot be asked
		closes bool
		asked  bool
	}{
		{name: "creator", who: in("anna"), closes: true},
		{name: "creator, without asking the platform", who: in("anna"), ask: ptr(false), closes: true},
		{name: "someone else", who: in("bob")},
		{name: "an admin by the flag", who: in("bob"), admin: true, closes: true},
		{name: "an admin by the flag, without asking the platform", who: in("bob"), admin: true, ask: ptr(false), closes: true},
		{name: "an admin according to the platform", who: in("bob"), ask: ptr(true), closes: true, asked: true},
		{name: "no admin according to the platform", who: in("bob"), ask: ptr(false), asked: true},
	}
	for _, anon := range []string{"", "anoniem "} {
		for _, tc := range tests {
			t.Run(anon+tc.name, func(t *testing.T) {
				f := newFixture(t)
				id := f.create(Statement, anon+"Tekst").ID
				asked := false
				var ask func(context.Context) bool
				if tc.ask != nil {
					ask = func(context.Context) bool { asked = true; return *tc.ask }
				}
				p, _, err := f.svc.Close(context.Background(), tc.who, id, tc.admin, ask)
				if tc.closes != (err == nil) || asked != tc.asked {
					t.Fatalf("closed %v (%v), asked %v; want %v, %v", err == nil, err, asked, tc.closes, tc.asked)
				}
				if !tc.closes {
					if r := refusal(t, err); !errors.Is(err, ErrNotAllowed) || r.Key != "close.not_allowed" {
						t.Errorf("refusal %v", err)
					}
					return
				}
				if !p.Closed || !p.ClosedAt.Equal(f.clock.Now()) || !p.Posted {
					t.Errorf("closed poll %+v", p)
				}
				_, _, err = f.svc.Close(context.Background(), in("anna"), id, false, nil)
				if r := refusal(t, err); !errors.Is(err, ErrClosed) || r.Key != "close.already" {
					t.Errorf("closing again: %v", err)
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestCloseElsewhereOrUnknownIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.create(Statement, "Tekst").ID
	for _, admin := range []bool{false, true} {
		if _, _, err := f.svc.Close(ctx, in("anna", "c2"), id, admin, nil); !errors.Is(err, ErrOtherChannel) {
			t.Errorf("open poll from another channel (admin %v): %v", admin, err)
		}
	}
	if _, _, err := f.svc.Close(ctx, in("anna"), "zzzz", true, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown poll: %v", err)
	}
	if _, _, err := f.svc.Close(ctx, in("anna"), id, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Close(ctx, in("anna", "c2"), id, false, nil); !errors.Is(err, ErrOtherChannel) {
		t.Errorf("closed poll from another channel: %v", err)
	}
}

func TestShowIsForThePollsChannel(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.create(Statement, "Tekst").ID
	if p, _, err := f.svc.Show(ctx, in("bob").Where, id); err != nil || p.ID != id {
		t.Errorf("in the channel: %v", err)
	}
	if _, _, err := f.svc.Show(ctx, in("bob", "c2").Where, id); !errors.Is(err, ErrOtherChannel) {
		t.Errorf("from another channel: %v", err)
	}
	if _, _, err := f.svc.Get(ctx, "ZZZZ"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown poll: %v", err)
	}
}

func TestOpenListsPollsThatTakeVotes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(Statement, "Eerste").ID
	f.clock.Add(1)
	b := f.create(Statement, "duur=1u Tweede").ID
	f.clock.Add(1)
	c := f.create(Statement, "Derde").ID
	f.svc.Close(ctx, in("anna"), c, false, nil)
	if _, err := f.svc.Create(ctx, in("anna", "c2"), Statement, "Elders"); err != nil {
		t.Fatal(err)
	}
	ids := func() (out []string) {
		open, err := f.svc.Open(ctx, in("bob").Where)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range open {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids(); len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("open polls %v, want %v", got, []string{a, b})
	}
	f.clock.Add(2 * time.Hour)
	if got := ids(); len(got) != 1 || got[0] != a {
		t.Errorf("after the deadline %v, want %v", got, []string{a})
	}
}

func TestSetMessageIsKeptWithThePoll(t *testing.T) {
	f := newFixture(t)
	id := f.create(Statement, "Tekst").ID
	if err := f.svc.SetMessage(context.Background(), "`"+id+"`", "M1"); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := f.svc.Get(context.Background(), id); p.Message != "M1" {
		t.Errorf("message %q", p.Message)
	}
}
