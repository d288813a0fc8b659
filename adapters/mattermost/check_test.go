package mattermost

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// checkServer is the part of Mattermost's API that Check asks: the server
// answers, the bot, the team raad with the bot's roles there, the roles'
// permissions, the bot's channels, and dialog submissions, which it posts
// to their URL as Mattermost does.
type checkServer struct {
	isBot     bool
	teamRoles string // the bot's roles in raad
}

func (c checkServer) start(t *testing.T) *httptest.Server {
	f := &fakeMattermost{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v4/system/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(model.HeaderVersionId, "11.1.0")
		writeJSON(w, map[string]string{"status": "OK"})
	})
	mux.HandleFunc("GET /api/v4/users/me", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, &model.User{Id: botID, Username: botName, IsBot: c.isBot, Roles: "system_user"})
	}))
	mux.HandleFunc("GET /api/v4/teams/name/{name}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") != "raad" {
			appError(w, http.StatusNotFound, "team not found")
			return
		}
		writeJSON(w, &model.Team{Id: teamID, Name: "raad"})
	}))
	mux.HandleFunc("GET /api/v4/teams/{team}/members/{user}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, &model.TeamMember{TeamId: teamID, UserId: botID, Roles: c.teamRoles})
	}))
	perms := map[string][]string{
		model.SystemUserRoleId: {"create_team"},
		model.TeamUserRoleId:   {"view_team"},
		model.TeamAdminRoleId:  {"view_team", permManageCommands},
	}
	mux.HandleFunc("POST /api/v4/roles/names", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var names []string
		json.NewDecoder(r.Body).Decode(&names)
		var roles []*model.Role
		for _, n := range names {
			roles = append(roles, &model.Role{Name: n, Permissions: perms[n]})
		}
		writeJSON(w, roles)
	}))
	mux.HandleFunc("GET /api/v4/roles/name/{name}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, &model.Role{Name: r.PathValue("name"), Permissions: perms[r.PathValue("name")]})
	}))
	mux.HandleFunc("GET /api/v4/users/{user}/teams/{team}/channels", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, []*model.Channel{{Id: "town", TeamId: teamID, Name: "town-square", Type: model.ChannelTypeOpen}})
	}))
	mux.HandleFunc("POST /api/v4/actions/dialogs/submit", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var req model.SubmitDialogRequest
		json.NewDecoder(r.Body).Decode(&req)
		url := req.URL
		req.URL = ""
		body, _ := json.Marshal(req)
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil || resp.StatusCode != http.StatusOK {
			appError(w, http.StatusBadRequest, "Action integration error.")
			return
		}
		defer resp.Body.Close()
		var out model.SubmitDialogResponse
		json.NewDecoder(resp.Body).Decode(&out)
		writeJSON(w, &out)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestCheckAgainstAFakeMattermost(t *testing.T) {
	admin := checkServer{isBot: true, teamRoles: "team_user team_admin"}
	tests := []struct {
		name      string
		server    checkServer
		team      string
		publicURL string // empty: the address Check listens on
		want      []string
	}{
		{"a bot account that is team admin, public_url leading to listen", admin, "raad", "", []string{
			"✓ Mattermost server: answers at",
			"✓ Mattermost bot token: belongs to the bot account @waardenbot",
			"✓ Mattermost team raad: exists; @waardenbot is a member",
			"✓ slash commands in raad: @waardenbot may manage them (role team_admin)",
			"✓ public_url http://127.0.0.1:",
		}},
		{"without team admin: what to grant", checkServer{isBot: true, teamRoles: "team_user"}, "raad", "", []string{
			"✓ Mattermost server",
			"✓ Mattermost bot token",
			"✓ Mattermost team raad",
			"✗ slash commands in raad: @waardenbot may not manage them (roles system_user, team_user lack manage_slash_commands), so run cannot register /waarde and the other commands | make @waardenbot a Team Admin of raad (System Console > User Management > Teams > raad > Manage Members > @waardenbot > Make Team Admin), which grants manage_slash_commands",
			"✓ public_url",
		}},
		{"a person's token", checkServer{isBot: false}, "raad", "", []string{
			"✓ Mattermost server",
			"✗ Mattermost bot token: it belongs to @waardenbot, which is not a bot account | create a bot account",
		}},
		{"a team that does not exist", admin, "college", "", []string{
			"✓ Mattermost server",
			"✓ Mattermost bot token",
			"✗ Mattermost team college: not found, or @waardenbot is not a member | add @waardenbot to the team",
			"✗ public_url",
		}},
		{"public_url that leads nowhere", admin, "raad", "http://127.0.0.1:1", []string{
			"✓ Mattermost server",
			"✓ Mattermost bot token",
			"✓ Mattermost team raad",
			"✓ slash commands in raad",
			"✗ public_url http://127.0.0.1:1: Mattermost could not reach http://127.0.0.1:1/mattermost/check: ",
			"Allow untrusted internal connections to",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.server.start(t)
			listen := freeAddress(t)
			cfg := Config{URL: srv.URL, Teams: []string{tc.team}, Listen: listen, PublicURL: cmp.Or(tc.publicURL, "http://"+listen)}
			assertCheck(t, newTestAdapter(t, nil, cfg, nil).Check(context.Background()), tc.want)
		})
	}
}

func TestCheckReachesTheRunningBotThroughPublicURL(t *testing.T) {
	srv := checkServer{isBot: true, teamRoles: "team_user team_admin"}.start(t)
	running := httptest.NewServer(newTestAdapter(t, nil, Config{URL: srv.URL}, nil).Handler())
	defer running.Close()
	listen := strings.TrimPrefix(running.URL, "http://")
	checks := newTestAdapter(t, nil, Config{URL: srv.URL, Teams: []string{"raad"}, Listen: listen, PublicURL: running.URL}, nil).Check(context.Background())
	assertCheck(t, checks, []string{"✓", "✓", "✓", "✓", "✓ public_url " + running.URL + ": Mattermost reaches it, as it sends slash commands and button clicks (answered by the waardenbot running on " + listen + ")"})
}

func TestCheckSaysWhenTheServerDoesNotAnswerOrRefusesTheToken(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	assertCheck(t, newTestAdapter(t, nil, Config{URL: down.URL}, nil).Check(context.Background()),
		[]string{"✗ Mattermost server: no answer from " + down.URL + ": "})
	srv := checkServer{isBot: true}.start(t)
	assertCheck(t, newTestAdapter(t, nil, Config{URL: srv.URL, BotToken: "wrong"}, nil).Check(context.Background()),
		[]string{"✓ Mattermost server", "✗ Mattermost bot token: Mattermost refused it (401) | create a token for the bot account"})
}

// assertCheck compares checks, as "✓ name: detail" or "✗ name: detail |
// fix", with the start of each wanted line; a last wanted line that does
// not start with ✓ or ✗ must be in the last line.
func assertCheck(t *testing.T, checks []bot.Check, want []string) {
	t.Helper()
	var got []string
	for _, c := range checks {
		line := "✓ " + c.Name + ": " + c.Detail
		if !c.OK {
			line = "✗ " + c.Name + ": " + c.Detail + " | " + c.Fix
		}
		got = append(got, line)
	}
	if n := len(want); n > 0 && !strings.HasPrefix(want[n-1], "✓") && !strings.HasPrefix(want[n-1], "✗") {
		if len(got) == 0 || !strings.Contains(got[len(got)-1], want[n-1]) {
			t.Errorf("the last line does not say %q", want[n-1])
		}
		want = want[:n-1]
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d:\n got %s\nwant %s…", i+1, got[i], want[i])
		}
	}
	for _, line := range got {
		if strings.Contains(line, botToken) {
			t.Errorf("a check shows the token: %s", line)
		}
	}
}

// freeAddress is a local address nothing listens on.
func freeAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
