package slack

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// allScopes is what the manifest asks for, as Slack lists it.
func allScopes() string {
	var names []string
	for _, s := range Scopes {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

// checkLines runs Check against api with cfg and returns one line per
// check, "✓ name: detail" or "✗ name: detail | fix".
func checkLines(t *testing.T, api *fakeSlack, cfg Config) []string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.APIURL = api.URL + "/api/"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range New(cfg, bot.New(testKB, bot.Config{}, log), log).Check(context.Background()) {
		if c.OK {
			out = append(out, "✓ "+c.Name+": "+c.Detail)
		} else {
			out = append(out, "✗ "+c.Name+": "+c.Detail+" | "+c.Fix)
		}
	}
	return out
}

func TestCheckAgainstTheFakeSlackAPI(t *testing.T) {
	const bot, app = "xoxb-good", "xapp-good"
	socket := Config{Mode: "socket", BotToken: bot, AppToken: app}
	tests := []struct {
		name   string
		cfg    Config
		scopes string
		want   []string // one substring per line
	}{
		{"good tokens and every scope", socket, allScopes(), []string{
			"✓ Slack bot token: valid for workspace raad, bot user waardenbot (UBOT)",
			"✓ Slack scopes: all granted: commands, chat:write, chat:write.public, app_mentions:read, im:history, users:read",
			"✓ Slack app token (Socket Mode)",
		}},
		{"a bad bot token", Config{Mode: "socket", BotToken: "xoxb-revoked", AppToken: app}, allScopes(), []string{
			"✗ Slack bot token: Slack refused it (invalid_auth) | copy the Bot User OAuth Token",
			"✓ Slack app token (Socket Mode)",
		}},
		{"a bad app token", Config{Mode: "socket", BotToken: bot, AppToken: "xapp-wrong"}, allScopes(), []string{
			"✓ Slack bot token",
			"✓ Slack scopes",
			"✗ Slack app token (Socket Mode): Slack refused it (invalid_auth) | turn Socket Mode on",
		}},
		{"missing scopes are named", socket, "commands,chat:write,app_mentions:read", []string{
			"✓ Slack bot token",
			"✗ Slack scopes: missing chat:write.public (scheduled prompts in public channels the bot was not invited to), im:history (direct messages to the bot), users:read (whether a user is a workspace admin (closing others' polls, schedules), or a bot (no reminder)), channels:read (a public channel's member count and members (participation, reminders, exports)), groups:read (the same for a private channel the bot is in), im:write (a reminder, or a private export (who voted what), as a direct message), files:write (charts and exports (files.getUploadURLExternal, files.completeUploadExternal)) | add them under OAuth & Permissions > Scopes > Bot Token Scopes",
			"✓ Slack app token",
		}},
		{"HTTP mode needs the signing secret, not an app token", Config{Mode: "http", BotToken: bot, SigningSecret: "s", Listen: "127.0.0.1:8080"}, allScopes(), []string{
			"✓ Slack bot token",
			"✓ Slack scopes",
			"✓ Slack signing secret (HTTP mode): set",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeSlack(t)
			api.botToken, api.appToken, api.scopes = bot, app, tc.scopes
			got := checkLines(t, api, tc.cfg)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, want := range tc.want {
				if !strings.Contains(got[i], want) {
					t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want)
				}
			}
			for _, line := range got {
				for _, secret := range []string{tc.cfg.BotToken, tc.cfg.AppToken} {
					if secret != "" && strings.Contains(line, secret) {
						t.Errorf("a check shows a token: %s", line)
					}
				}
			}
		})
	}
}

func TestCheckSaysWhenSlackCannotBeReached(t *testing.T) {
	api := newFakeSlack(t)
	api.Close()
	got := checkLines(t, api, Config{Mode: "socket", BotToken: "xoxb-1", AppToken: "xapp-1"})
	if len(got) != 2 || !strings.HasPrefix(got[0], "✗ Slack bot token: the Slack Web API did not answer") || !strings.Contains(got[0], "check this machine's connection") {
		t.Errorf("%s", strings.Join(got, "\n"))
	}
}
