package bot

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), []byte(got))
}

func TestReflectionPromptGolden(t *testing.T) {
	b := testBot(t)
	sc := schedule.Schedule{ID: schedule.ReflectionID(Destination{Platform: "console", Channel: "fractie"}), Kind: schedule.Reflection}
	sc.Turn.Next(b.kb, sc.ID) // what a claim does before the prompt is made
	golden(t, "prompt.golden", b.reflectionPrompt(sc, "").Text)
	sc.Turn.Next(b.kb, sc.ID)
	ams := mustZone(t, "Europe/Amsterdam")
	late := b.scheduledMessage(schedule.Claimed{Schedule: sc, At: time.Date(2026, 11, 30, 9, 0, 0, 0, ams), Late: true})
	golden(t, "prompt_late.golden", late.Text)
}

func TestDebatePrepCardGolden(t *testing.T) {
	b := testBot(t)
	ams := mustZone(t, "Europe/Amsterdam")
	sc := schedule.Schedule{Topic: "Camera's in de binnenstad @channel", DebateAt: time.Date(2026, 12, 10, 19, 30, 0, 0, ams), HasTime: true}
	golden(t, "prep.golden", b.prepCard(sc, "").Text)
	sc = schedule.Schedule{Topic: "Xyzzy plugh", DebateAt: time.Date(2026, 12, 10, 0, 0, 0, 0, ams)}
	golden(t, "prep_nothing_found.golden", b.prepCard(sc, "").Text)
}
