package slack

import (
	"io"
	"log/slog"
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/waardenbot/waardenbot/bot"
)

func TestManifestDeclaresEveryCommand(t *testing.T) {
	data, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command      string `yaml:"command"`
				ShouldEscape *bool  `yaml:"should_escape"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				BotEvents []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, c := range m.Features.SlashCommands {
		declared = append(declared, c.Command)
		// The adapter passes a command's text to the bot as it comes
		// (plainText is only for message events): Slack must not escape it.
		if c.ShouldEscape == nil || *c.ShouldEscape {
			t.Errorf("manifest: %s should say should_escape: false; the adapter reads command text as typed", c.Command)
		}
	}
	b := bot.New(testKB, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, c := range b.Commands() {
		if !slices.Contains(declared, "/"+c.Name) {
			t.Errorf("manifest lacks /%s", c.Name)
		}
	}
	for _, s := range []string{"commands", "chat:write", "app_mentions:read", "im:history"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Errorf("manifest lacks scope %s", s)
		}
	}
	for _, e := range []string{"app_mention", "message.im"} {
		if !slices.Contains(m.Settings.Events.BotEvents, e) {
			t.Errorf("manifest lacks event %s", e)
		}
	}
	if !m.Settings.SocketMode {
		t.Error("manifest should enable Socket Mode, the default mode")
	}
}
