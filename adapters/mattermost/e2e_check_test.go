//go:build e2e

// waardenbot check against the real server of the end-to-end test
// (e2e_test.go): the adapter's Check, as `waardenbot check` runs it, once
// while the bot is a plain member of the team and once as team admin.

package mattermost

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// checkLines runs Check with cfg, the configuration run would use for the
// server (the bot's token, the team, listen and public_url at addr) as
// change changes it, and returns one line per check: "✓ name: detail" or
// "✗ name: detail — fix".
func (s *e2eServer) checkLines(t *testing.T, ctx context.Context, addr string, change func(*Config)) []string {
	t.Helper()
	cfg := Config{URL: s.url, BotToken: s.botToken, Teams: []string{s.team.Name}, Listen: addr, PublicURL: "http://" + addr}
	if change != nil {
		change(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var lines []string
	for _, c := range New(cfg, bot.New(testKB, bot.Config{}, log), log).Check(ctx) {
		line := "✓ " + c.Name + ": " + c.Detail
		if !c.OK {
			line = "✗ " + c.Name + ": " + c.Detail + " — " + c.Fix
		}
		lines = append(lines, line)
		t.Log(line)
		if strings.Contains(line, s.botToken) {
			t.Errorf("a check shows the bot token: %s", line)
		}
	}
	return lines
}

// wantLines checks lines against the start of each wanted line, in order,
// and that every wanted part of a line is in it.
func wantLines(t *testing.T, lines []string, want ...[]string) {
	t.Helper()
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i, parts := range want {
		if !strings.HasPrefix(lines[i], parts[0]) {
			t.Errorf("line %d:\n got %s\nwant %s…", i+1, lines[i], parts[0])
		}
		for _, p := range parts[1:] {
			if !strings.Contains(lines[i], p) {
				t.Errorf("line %d does not say %q:\n%s", i+1, p, lines[i])
			}
		}
	}
}

// checkWithoutTeamAdmin runs while the bot is a plain member of the team
// and no bot runs: the check listens on addr itself for the probe.
func (s *e2eServer) checkWithoutTeamAdmin(t *testing.T, ctx context.Context, addr string) {
	t.Run("check: a bot without team admin gets a ✗ that says what to grant", func(t *testing.T) {
		team := s.team.Name
		wantLines(t, s.checkLines(t, ctx, addr, nil),
			[]string{"✓ Mattermost server: answers at " + s.url + " (version "},
			[]string{"✓ Mattermost bot token: belongs to the bot account @waardenbot"},
			[]string{"✓ Mattermost team " + team + ": exists; @waardenbot is a member"},
			[]string{"✗ slash commands in " + team + ": @waardenbot may not manage them (roles ",
				"lack manage_slash_commands), so run cannot register /waarde and the other commands — make @waardenbot a Team Admin of " + team +
					" (System Console > User Management > Teams > " + team + " > Manage Members > @waardenbot > Make Team Admin), which grants manage_slash_commands"},
			[]string{"✓ public_url http://" + addr + ": Mattermost reaches it, as it sends slash commands and button clicks (answered by this check listening on " + addr + ")"},
		)
	})

	t.Run("check: what Mattermost refuses, with what to do", func(t *testing.T) {
		wantLines(t, s.checkLines(t, ctx, addr, func(c *Config) { c.BotToken = "wrong-token" }),
			[]string{"✓ Mattermost server"},
			[]string{"✗ Mattermost bot token: Mattermost refused it (401) — create a token for the bot account"})
		admin := s.admin.AuthToken // a person's session, not a bot's
		wantLines(t, s.checkLines(t, ctx, addr, func(c *Config) { c.BotToken = admin }),
			[]string{"✓ Mattermost server"},
			[]string{"✗ Mattermost bot token: it belongs to @e2eadmin, which is not a bot account — create a bot account"})
		wantLines(t, s.checkLines(t, ctx, addr, func(c *Config) { c.Teams = []string{"geen-team"} }),
			[]string{"✓ Mattermost server"},
			[]string{"✓ Mattermost bot token"},
			[]string{"✗ Mattermost team geen-team: not found, or @waardenbot is not a member — add @waardenbot to the team"},
			[]string{"✗ public_url", "the bot is a member of none of mattermost.teams"})
		// 127.0.0.2 is a loopback address the server does not trust
		// (AllowedUntrustedInternalConnections is 127.0.0.1 localhost):
		// Mattermost refuses to call it, as it would refuse a click.
		port := addr[strings.LastIndex(addr, ":"):]
		wantLines(t, s.checkLines(t, ctx, addr, func(c *Config) { c.PublicURL = "http://127.0.0.2" + port }),
			[]string{"✓ Mattermost server"},
			[]string{"✓ Mattermost bot token"},
			[]string{"✓ Mattermost team"},
			[]string{"✗ slash commands in"},
			[]string{"✗ public_url http://127.0.0.2" + port + ": Mattermost could not reach http://127.0.0.2" + port + "/mattermost/check: ",
				"Allow untrusted internal connections to"})
	})
}

// checkAsTeamAdmin runs once the bot is team admin and runs on addr: the
// running bot answers the probe.
func (s *e2eServer) checkAsTeamAdmin(t *testing.T, ctx context.Context, addr string) {
	t.Run("check: as team admin, with the bot running, every check passes", func(t *testing.T) {
		team := s.team.Name
		wantLines(t, s.checkLines(t, ctx, addr, nil),
			[]string{"✓ Mattermost server"},
			[]string{"✓ Mattermost bot token"},
			[]string{"✓ Mattermost team " + team},
			[]string{"✓ slash commands in " + team + ": @waardenbot may manage them (role " + model.TeamAdminRoleId + ")"},
			[]string{"✓ public_url http://" + addr + ": Mattermost reaches it, as it sends slash commands and button clicks (answered by the waardenbot running on " + addr + ")"},
		)
	})
}
