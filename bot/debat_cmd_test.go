package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

func TestDebatePrepPostedOnceAtThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	r := h.must("/debat 2026-12-10 19:30 Camera's in de binnenstad @channel <!here>")
	if !strings.Contains(r.Text, "maandag 7 december 2026 om 09:00") {
		t.Errorf("confirmation should name the prep moment:\n%s", r.Text)
	}
	h.at(local(2026, 12, 7, 8, 59))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	h.at(local(2026, 12, 7, 9, 1))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d prep cards, want 1", n)
	}
	text := h.poster.last().r.Text
	for _, want := range []string{"Voorbereiding debat", "donderdag 10 december 2026 om 19:30", "Privacy", "1. ", "2. ", "3. ", "_Bron: "} {
		if !strings.Contains(text, want) {
			t.Errorf("prep card lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "@channel") || strings.Contains(text, "<!here>") {
		t.Errorf("prep card pings the channel:\n%s", text)
	}
	if l := h.do("/debat lijst"); !strings.Contains(l.Text, "geplaatst") {
		t.Errorf("list should show the prep as posted:\n%s", l.Text)
	}
}

func TestDebateVoorbereidingChangesThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.must("/debat 10-12-2026 Algoritmen voorbereiding=7d")
	if next := h.b.Scheduler().RunDue(context.Background()); !next.Equal(local(2026, 12, 3, 9, 0)) {
		t.Errorf("prep at %s, want 3 December 09:00", next.In(ams))
	}
}

func TestCancelledDebateIsNotPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.must("/debat 2026-12-10 Datalekken")
	if r := h.do("/debat annuleer 1"); r.Status != bot.Answered {
		t.Fatalf("cancel: %s", r.Text)
	}
	if r := h.do("/debat annuleer 1"); r.Status != bot.Refused {
		t.Errorf("cancelling twice: %s", r.Text)
	}
	other := fractie
	other.Channel = "elders"
	h.must("/debat 2026-12-11 Iets anders")
	if r := h.doAs(other, "/debat annuleer 2"); r.Status != bot.Refused {
		t.Errorf("cancelling another channel's debate: %s", r.Text)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts for a cancelled debate, want 0", n)
	}
}

func TestDebateWithPrepMomentPassedGivesTheCardAtOnce(t *testing.T) {
	h := start(t, local(2026, 12, 9, 10, 0))
	h.restore()
	r := h.must("/debat 2026-12-10 19:30 Privacy in de wijk")
	if !strings.Contains(r.Text, "al voorbij") || !strings.Contains(r.Text, "Voorbereiding debat") || !r.Thread {
		t.Errorf("reply should say the moment passed and hold the card:\n%s", r.Text)
	}
	h.at(local(2026, 12, 10, 19, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts for a prep already given, want 0", n)
	}
}

func TestMissedDebatePrepWithinGracePostedOnceAndOlderMarkedMissed(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/debat 2026-12-10 19:30 Binnen de marge")
	h.must("/debat 2026-12-07 19:30 Buiten de marge voorbereiding=1d")
	h.closer()
	h.clock.Set(local(2026, 12, 7, 12, 0)) // 3h after the first prep, 27h after the second
	h = h.restart()
	if n := h.poster.count(); n != 1 || !strings.Contains(h.poster.last().r.Text, "Binnen de marge") {
		t.Fatalf("%d posts, want only the prep within the grace period", h.poster.count())
	}
	l := h.do("/debat lijst")
	if !strings.Contains(l.Text, "gemist") {
		t.Errorf("list should show the missed prep:\n%s", l.Text)
	}
}

func TestTopicIsNeutralisedInConfirmationAndList(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	for _, text := range []string{h.must("/debat 2026-12-10 @channel **vet** <!everyone>").Text, h.do("/debat lijst").Text} {
		if strings.Contains(text, "@channel") || strings.Contains(text, "<!everyone>") || strings.Contains(text, "**vet**") {
			t.Errorf("topic not neutralised:\n%s", text)
		}
	}
}
