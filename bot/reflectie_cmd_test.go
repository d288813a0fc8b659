package bot_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
)

// TestScheduledPromptIsAPublicThreadWithTheTeamQuestion: what the
// scheduler posts for /reflectie aan is the prompt of the value its claim
// took, as a public thread starter in the channel.
func TestScheduledPromptIsAPublicThreadWithTheTeamQuestion(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0)) // a Monday, after 09:00
	h.must("/reflectie aan")
	h.restore()
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on Monday 30 November, want 1", n)
	}
	p := h.poster.last()
	if p.to != (bot.Destination{Platform: "console", Channel: "fractie"}) || !p.r.Thread || p.r.Ephemeral {
		t.Errorf("posted %+v to %+v, want a public thread starter in console/fractie", p.r, p.to)
	}
	if !strings.Contains(p.r.Text, "Welke opvatting herken je in onze fractie?") || !strings.Contains(p.r.Text, "_Bron: ") {
		t.Errorf("prompt lacks the team question or the source:\n%s", p.r.Text)
	}
	if !strings.Contains(p.r.Text, "Waarde 1 van 30") {
		t.Errorf("the first prompt should be the first value of the round:\n%s", p.r.Text)
	}
}

func TestLatePromptSaysWhenItWasDue(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.closer() // the bot goes down before Monday 09:00 ...
	h.clock.Set(local(2026, 11, 30, 20, 0))
	h = h.restart() // ... and comes back 11 hours late
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts after a restart within the grace period, want 1", n)
	}
	if !strings.Contains(h.poster.last().r.Text, "maandag 30 november 2026 om 09:00") {
		t.Errorf("a late prompt should say when it was due:\n%s", h.poster.last().r.Text)
	}
}

// TestGraceReachesTheScheduler: Config.Grace is the scheduler's grace
// period (package schedule tests the rule itself).
func TestGraceReachesTheScheduler(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	clock := testkit.NewClock(local(2026, 11, 23, 10, 0))
	h := newHarness(t, path, clock, &fakePoster{})
	h.must("/reflectie aan")
	h.closer()
	clock.Set(local(2026, 11, 30, 9, 1))
	h = newHarness(t, path, clock, h.poster, func(c *bot.Config) { c.Grace = -1 })
	h.restore()
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts a minute late with catch-up off, want 0", n)
	}
}

func TestReflectieNuCountsAsThisWeeksPrompt(t *testing.T) {
	h := start(t, local(2026, 11, 25, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	r := h.must("/reflectie nu")
	if !r.Thread || r.Ephemeral || !strings.Contains(r.Text, "maandag 30 november 2026 om 09:00") {
		t.Errorf("/reflectie nu = %+v, want a public prompt that names the run it replaces", r)
	}
	if again := h.do("/reflectie nu"); again.Status != bot.Refused {
		t.Errorf("a second /reflectie nu in the same week = %q, want a refusal", again.Text)
	}
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts in the week of /reflectie nu, want 0", n)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts the week after, want 1", n)
	}
	if !strings.Contains(h.poster.last().r.Text, "Waarde 2 van 30") {
		t.Errorf("the scheduled prompt after /reflectie nu should be the second value:\n%s", h.poster.last().r.Text)
	}
}

func TestReflectieStatusShowsSpecInWordsNextRunsAndRotation(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	if r := h.do("/reflectie status"); !strings.Contains(r.Text, "uit") {
		t.Errorf("status before aan: %s", r.Text)
	}
	h.must("/reflectie aan 30 16 * * 5 tz=Europe/Brussels")
	h.must("/reflectie nu")
	r := h.do("/reflectie status")
	for _, want := range []string{
		"elke vrijdag om 16:30 (Europe/Brussels)",
		"- vrijdag 4 december 2026 om 16:30",
		"- vrijdag 11 december 2026 om 16:30",
		"- vrijdag 18 december 2026 om 16:30",
		"ronde 1, 1 van de 30",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("status lacks %q:\n%s", want, r.Text)
		}
	}
	h.must("/reflectie uit")
	if r := h.do("/reflectie status"); !strings.Contains(r.Text, "uit") || !strings.Contains(r.Text, "1 van de 30") {
		t.Errorf("status after uit should say off and keep the rotation:\n%s", r.Text)
	}
}

func TestReflectieUitStopsPosts(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.must("/reflectie uit")
	h.at(local(2026, 11, 30, 9, 0))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts after /reflectie uit, want 0", n)
	}
}
