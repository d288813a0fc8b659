package slack

import (
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/internal/testkit"

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
	for _, s := range []string{"commands", "chat:write", "app_mentions:read", "im:history", "files:write", "im:write"} {
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

// manifest.yaml is what `waardenbot manifest slack` prints for a Dutch
// bot: the slash commands come from the bot's command table. go test
// -update rewrites it after a change there.
func TestManifestFileIsGeneratedFromTheCommandTable(t *testing.T) {
	b := bot.New(testKB, bot.Config{Lang: "nl"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	want := Manifest(b.Commands())
	if testkit.Updating() {
		if err := os.WriteFile("manifest.yaml", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("manifest.yaml differs from the bot's command table; run go test ./adapters/slack -run Manifest -update (or waardenbot manifest slack > adapters/slack/manifest.yaml) and check the diff:\n%s", want)
	}
	// In English the commands follow the language; YAML reads every hint.
	en := Manifest(bot.New(testKB, bot.Config{Lang: "en"}, slog.New(slog.NewTextHandler(io.Discard, nil))).Commands())
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command     string `yaml:"command"`
				Description string `yaml:"description"`
				UsageHint   string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
	}
	if err := yaml.Unmarshal([]byte(en), &m); err != nil || len(m.Features.SlashCommands) != len(b.Commands()) {
		t.Fatalf("English manifest: %v, %d commands", err, len(m.Features.SlashCommands))
	}
	enBot := bot.New(testKB, bot.Config{Lang: "en"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i, c := range enBot.Commands() {
		if got := m.Features.SlashCommands[i]; got.Command != "/"+c.Name || got.Description != c.Summary || got.UsageHint != c.Hint {
			t.Errorf("English manifest: %+v, want %+v", got, c)
		}
	}
	if !strings.Contains(en, `usage_hint: "[name]"`) {
		t.Errorf("English manifest:\n%s", en)
	}
}
