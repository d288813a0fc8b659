package bot

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
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
