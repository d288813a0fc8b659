package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

func TestParticipantsAddValuesToAPollStartedWithAanvullen(t *testing.T) {
	f := newFixture(t, bot.Config{})
	v := f.mustPoll("anna", "c1", "/casus aanvullen "+energie+" | bestaanszekerheid, privacy")
	if !v.Open || v.Parts().Add.Button != "Waarde toevoegen" || !strings.Contains(v.Parts().Markdown(), "/optie "+v.ID+" waarde") {
		t.Fatalf("an open poll says how to add a value: %+v\n%s", v.Parts().Add, v.Parts().Markdown())
	}
	r := f.do("bob", "c1", "/optie "+v.ID+" leefbaarheid")
	if r.Status != bot.Answered || !r.Changed || len(r.Poll.Options) != 3 {
		t.Fatalf("bob adds leefbaarheid: %s", r.Text)
	}
	added := r.Poll.Options[2]
	if added.Label != "Leefbaarheid" || !added.Added || added.AddedBy != "Naam bob" {
		t.Errorf("added option %+v", added)
	}
	msg := f.bot.PollMessage(context.Background(), v.ID)
	if !strings.Contains(msg.Text, "**Leefbaarheid**") || !strings.Contains(msg.Text, "_toegevoegd door Naam bob_") {
		t.Errorf("the poll message does not show who added it:\n%s", msg.Text)
	}
	// Recognised as /casus recognises values: a typo, a value not on the map.
	if r := f.do("carla", "c1", "/optie "+v.ID+" autonomy"); r.Status != bot.Answered || r.Poll.Options[3].Label != "Autonomie" || !r.Poll.Options[3].OnMap {
		t.Errorf("autonomy: %s %+v", r.Text, r.Poll.Options)
	}
	if r := f.do("carla", "c1", "/optie "+v.ID+" toegankelijkheid"); r.Status != bot.Answered || r.Poll.Options[4].OnMap || !strings.Contains(r.Text, "niet op de Waardenkaart") {
		t.Errorf("toegankelijkheid: %s", r.Text)
	}
	// Refusals change nothing.
	tests := []struct{ who, channel, args, says string }{
		{"dirk", "c1", v.ID + " Privacy", "staat al in peiling"},
		{"dirk", "c1", v.ID + " privasy", "staat al in peiling"},
		{"dirk", "c1", v.ID + " orde, gezag", "één waarde tegelijk"},
		{"dirk", "c1", v.ID, "Typ na `/optie`"},
		{"dirk", "c2", v.ID + " orde", "ander kanaal"},
		{"dirk", "c1", "zzzz orde", "ken ik niet"},
	}
	for _, tc := range tests {
		r := f.do(tc.who, tc.channel, "/optie "+tc.args)
		if r.Status != bot.Refused || !strings.Contains(r.Text, tc.says) {
			t.Errorf("/optie %s in %s: %d %s", tc.args, tc.channel, r.Status, r.Text)
		}
	}
	if got := len(f.do("anna", "c1", "/uitslag "+v.ID).Poll.Options); got != 5 {
		t.Errorf("%d options after the refusals, want 5", got)
	}
}

func TestAddedValuesStopAtTenOptionsAndAtTheClose(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus aanvullen "+energie+" | bestaanszekerheid, privacy").ID
	for i := 3; i <= 10; i++ {
		if r := f.do("bob", "c1", fmt.Sprintf("/optie %s waarde nummer %d", id, i)); r.Status != bot.Answered {
			t.Fatalf("option %d: %s", i, r.Text)
		}
	}
	if r := f.do("bob", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Refused || !strings.Contains(r.Text, "al 10 opties") {
		t.Errorf("an eleventh option: %s", r.Text)
	}
	f.do("anna", "c1", "/sluit "+id)
	if r := f.do("bob", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Refused || !strings.Contains(r.Text, "gesloten") {
		t.Errorf("after the close: %s", r.Text)
	}
}

func TestOnlyTheCreatorAddsValuesWithoutAanvullen(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus "+energie+" | bestaanszekerheid, privacy").ID
	if r := f.do("bob", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Refused || !strings.Contains(r.Text, "aanvullen") {
		t.Errorf("bob on a closed list: %s", r.Text)
	}
	if r := f.do("anna", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Answered {
		t.Errorf("the creator: %s", r.Text)
	}
	st := f.mustPoll("anna", "c1", "/stelling Je moet als gemeente meer samenwerken met andere gemeenten").ID
	if r := f.do("anna", "c1", "/optie "+st+" misschien"); r.Status != bot.Refused || !strings.Contains(r.Text, "vaste antwoorden") {
		t.Errorf("a statement: %s", r.Text)
	}
	if r := f.do("anna", "c1", "/stelling aanvullen Je moet als gemeente meer samenwerken"); r.Status != bot.Refused {
		t.Errorf("a statement with aanvullen: %s", r.Text)
	}
}

func TestSomeoneOutsideTheChannelAddsNothing(t *testing.T) {
	f := newFixture(t, bot.Config{})
	f.withRoster(map[string][]string{"c1": {"anna", "bob"}})
	id := f.mustPoll("anna", "c1", "/casus aanvullen "+energie+" | bestaanszekerheid, privacy").ID
	if r := f.do("zoe", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Refused || !strings.Contains(r.Text, "in dit kanaal zit") {
		t.Errorf("someone the platform does not list: %s", r.Text)
	}
	if r := f.do("bob", "c1", "/optie "+id+" leefbaarheid"); r.Status != bot.Answered {
		t.Errorf("a member: %s", r.Text)
	}
}

func TestInAnAnonymousPollNobodyIsNamedForAnAddedValue(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus anoniem aanvullen "+energie+" | bestaanszekerheid, privacy").ID
	r := f.do("bob", "c1", "/optie "+id+" leefbaarheid")
	if o := r.Poll.Options[2]; r.Status != bot.Answered || !o.Added || o.AddedBy != "" {
		t.Fatalf("%s %+v", r.Text, o)
	}
	msg := f.bot.PollMessage(context.Background(), id)
	if strings.Contains(msg.Text, "bob") || !strings.Contains(msg.Text, "_toegevoegd_") {
		t.Errorf("the message names who added it:\n%s", msg.Text)
	}
}
