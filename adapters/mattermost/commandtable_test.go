package mattermost

import (
	"io"
	"log/slog"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

func TestCommandsComeFromTheBotsTableInItsLanguage(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := newFake(t)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			b := bot.New(testKB, bot.Config{Lang: lang}, log)
			a := New(Config{URL: f.URL, BotToken: botToken, Listen: "127.0.0.1:0", Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl"}, b, log)
			start(t, a)
			got := map[string]*model.Command{}
			for _, c := range f.commandList() {
				got[c.Trigger] = c
			}
			for _, c := range b.Commands() {
				trigger := c.Name
				if c.Name == "help" {
					trigger = "waardenbot" // Mattermost's own /help cannot be replaced
				}
				mc := got[trigger]
				if mc == nil {
					t.Errorf("/%s not registered", trigger)
					continue
				}
				if mc.AutoCompleteHint != c.Hint || mc.AutoCompleteDesc != c.Summary || mc.Description != c.Summary || len(mc.Description) > 128 {
					t.Errorf("/%s: hint %q, description %q; want %q, %q (at most 128 bytes)", trigger, mc.AutoCompleteHint, mc.Description, c.Hint, c.Summary)
				}
			}
			if got["help"] != nil || len(got) != len(b.Commands()) {
				t.Errorf("registered %d commands (help: %v), want %d, with the help as /waardenbot", len(got), got["help"] != nil, len(b.Commands()))
			}
			want := map[string]string{"nl": "aan [CRON] [tz=Zone]", "en": "aan [CRON] [tz=Zone]"}[lang]
			if h := got["reflectie"].AutoCompleteHint; h != want {
				t.Errorf("/reflectie hint %q, want %q", h, want)
			}
			if h := got["waarde"].AutoCompleteHint; h != map[string]string{"nl": "[naam]", "en": "[name]"}[lang] {
				t.Errorf("/waarde hint %q is not in %s", h, lang)
			}
		})
	}
}
