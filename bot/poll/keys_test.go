package poll

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestAnonymousPollKnowsPeopleOnlyByKeyedHashes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	anon := f.create(Statement, "anoniem Tekst")
	plain := f.create(Statement, "Tekst")
	if plain.Creator != "anna" || plain.Name != "Naam anna" {
		t.Errorf("poll that is not anonymous: creator %q, name %q", plain.Creator, plain.Name)
	}
	if anon.Creator == "anna" || len(anon.Creator) != 64 || anon.Name != "" {
		t.Errorf("anonymous poll: creator %q, name %q", anon.Creator, anon.Name)
	}
	for _, id := range []string{anon.ID, plain.ID} {
		if _, err := f.svc.Vote(ctx, in("anna"), id, "eens"); err != nil {
			t.Fatal(err)
		}
	}
	var voters []string
	for voter := range f.st.votes[anon.ID] {
		voters = append(voters, voter)
	}
	if len(voters) != 1 || voters[0] == "anna" || voters[0] == anon.Creator {
		t.Errorf("voter keys %v: the creator's vote must not be matched with the creator", voters)
	}
	if _, ok := f.st.votes[plain.ID]["anna"]; !ok {
		t.Errorf("the plain poll does not know anna by her ID")
	}
	other := f.create(Statement, "anoniem Ander")
	f.svc.Vote(ctx, in("anna"), other.ID, "eens")
	for voter := range f.st.votes[other.ID] {
		if voter == voters[0] {
			t.Errorf("the same key in two polls: hashes can be matched across polls")
		}
	}
}

func TestPersonWithoutUserIDIsKnownByName(t *testing.T) {
	f := newFixture(t)
	id := f.create(Statement, "Tekst").ID
	who := Person{Where: in("x").Where, User: "piet"}
	if _, err := f.svc.Vote(context.Background(), who, id, "eens"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.st.votes[id]["piet"]; !ok {
		t.Errorf("votes %v", f.st.votes[id])
	}
}

func TestKeyIsStableAndDiffersPerPurpose(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.Key(ctx, "mattermost actions")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := NewService(f.st, kb, f.clock.Now, amsterdam).Key(ctx, "mattermost actions")
	other, _ := f.svc.Key(ctx, "something else")
	if len(a) != 32 || !bytes.Equal(a, again) || bytes.Equal(a, other) {
		t.Errorf("keys %x, %x, %x", a, again, other)
	}
}

func TestShortSecretIsRefused(t *testing.T) {
	f := newFixture(t)
	f.st.secret = []byte("short")
	if _, err := f.svc.Key(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "only 5 bytes") {
		t.Errorf("got %v", err)
	}
	if _, err := f.svc.Create(context.Background(), in("anna"), Statement, "anoniem Tekst"); err == nil {
		t.Errorf("an anonymous poll without a secret")
	}
}
