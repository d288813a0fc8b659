package slack

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/internal/testkit"
	"github.com/waardenbot/waardenbot/knowledge"
)

// TestGoldenAnswersOverHTTP pins the bytes of the HTTP response to the
// commands answered from memory (lookups, help, an unknown command), in
// both languages and with a knowledge_file: each is asked twice, with
// its own signature each time, and both answers must be the golden
// file's bytes, whatever the adapter keeps between them.
func TestGoldenAnswersOverHTTP(t *testing.T) {
	// A municipality's knowledge_file: a value of its own in an existing
	// cluster. Its answer names the file.
	withOverlay, err := knowledge.Load(filepath.Join("testdata", "eigen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		lang          string
		kb            *knowledge.Base
		command, text string
	}{
		{"waarde_privacy", "", testKB, "/waarde", "privacy"},
		{"waarde_privacy_spaced", "", testKB, "/waarde", "  privacy\t"},
		{"waarde_typo", "", testKB, "/waarde", "privasy"},
		{"waarde_typo_capital", "", testKB, "/waarde", "Privasy"},
		{"waarde_free_text", "", testKB, "/waarde", "algoritme"},
		{"waarde_not_found", "", testKB, "/waarde", "xyzzy"},
		{"waarde_overview", "", testKB, "/waarde", ""},
		{"waarde_too_long", "", testKB, "/waarde", strings.Repeat("privacy ", 30)},
		{"waarde_markup", "", testKB, "/waarde", "<!channel> & **privacy**"},
		{"vragen_theme", "", testKB, "/vragen", "beveiliging"},
		{"help", "", testKB, "/help", ""},
		{"unknown_command", "", testKB, "/wardee", "privacy"},
		{"en_waarde_privacy", "en", testKB, "/waarde", "privacy"},
		{"en_waarde_typo", "en", testKB, "/waarde", "privasy"},
		{"en_vragen_theme", "en", testKB, "/vragen", "beveiliging"},
		{"overlay_waarde_own_value", "", withOverlay, "/waarde", "bereikbaarheid"},
		{"overlay_waarde_typo", "", withOverlay, "/waarde", "bereikbaarhied"},
		{"overlay_waarde_overview", "", withOverlay, "/waarde", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Now()
			b := bot.New(tc.kb, bot.Config{Lang: tc.lang}, discardLog())
			a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, b, discardLog(),
				WithClock(func() time.Time { return now }))
			h := a.Handler()
			var first []byte
			for i, trigger := range []string{"1.2.3", "4.5.6"} {
				body := strings.Replace(commandBody(tc.command, tc.text, ""), "trigger_id=1.2.3", "trigger_id="+trigger, 1)
				rec := post(t, h, "/slack/commands", body, sign(testSecret, now, body), form)
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
					t.Fatalf("answer %d: status %d, Content-Type %q: %s", i+1, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
				if i == 0 {
					first = rec.Body.Bytes()
					testkit.Golden(t, filepath.Join("testdata", "answers", tc.name+".json"), first)
				} else if got := rec.Body.String(); got != string(first) {
					t.Errorf("answer 2 differs from answer 1:\n%s\n%s", got, first)
				}
			}
		})
	}
}
