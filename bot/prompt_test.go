package bot

import (
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

func TestPromptRotatesOpinionAndQuestionByRound(t *testing.T) {
	b := testBot(t)
	id := "reflectie/console//a"
	sc0 := schedule.Schedule{ID: id}
	first := sc0.Turn.Next(b.kb, id).Name
	p0 := b.reflectionPrompt(sc0, "")
	// The same value in a later round shows another opinion or question.
	sc1 := schedule.Schedule{ID: id, Turn: schedule.Rotation{Round: 1, Order: []string{first}}}
	sc1.Turn.Next(b.kb, id)
	p1 := b.reflectionPrompt(sc1, "")
	if p0.Text == p1.Text {
		t.Errorf("%s shows the same prompt in rounds 1 and 2:\n%s", first, p0.Text)
	}
	if !p0.Thread {
		t.Error("a prompt should start a thread")
	}
	for _, want := range []string{first, "Welke opvatting herken je in onze fractie? Waar botst deze waarde met een andere?", "_Bron: "} {
		if !strings.Contains(p0.Text, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p0.Text)
		}
	}
}
