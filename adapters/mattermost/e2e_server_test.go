//go:build e2e

// The real Mattermost server of the end-to-end test (e2e_test.go) and what
// the test does with it through the REST API and the WebSocket.

package mattermost

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// e2eServer is a bootstrapped Mattermost: an admin, a team, a channel and a
// bot account with a token, member of both.
type e2eServer struct {
	url       string
	admin     *model.Client4
	adminUser *model.User
	team      *model.Team
	channel   *model.Channel
	botUser   *model.User
	botToken  string
	db        string   // the bot's data file, kept across restarts of the bot
	closers   []func() // what the whole run keeps open (users' WebSockets), closed at its end
}

// startServer runs start-server.sh for a server version ("6.7.2", "11.1")
// and returns the URL it prints.
func startServer(t *testing.T, version, arg string) string {
	t.Helper()
	script, err := filepath.Abs("../../e2e/mattermost/start-server.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script, arg)
	cmd.Env = append(os.Environ(), "MM_SERVER="+version)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v", script, arg, err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if u, ok := strings.CutPrefix(line, "MM_URL="); ok {
			return u
		}
	}
	return ""
}

func must[T any](t *testing.T, what string) func(T, *model.Response, error) T {
	return func(v T, _ *model.Response, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// bootstrap creates (or finds, on a server used before) everything the
// tests need, through the REST API as an admin would.
func bootstrap(t *testing.T, ctx context.Context, url string) *e2eServer {
	t.Helper()
	s := &e2eServer{url: url, admin: model.NewAPIv4Client(url), db: filepath.Join(t.TempDir(), "waardenbot.db")}
	const adminName, adminPass = "e2eadmin", "E2e-Admin-Passw0rd!"
	// The first user of a new server becomes system admin.
	s.admin.CreateUser(ctx, &model.User{Email: "e2eadmin@example.com", Username: adminName, Password: adminPass})
	s.adminUser = must[*model.User](t, "log in as admin")(s.admin.Login(ctx, adminName, adminPass))
	if !strings.Contains(s.adminUser.Roles, model.SystemAdminRoleId) {
		t.Fatalf("%s is not system admin (roles %q): reset the server with start-server.sh reset", adminName, s.adminUser.Roles)
	}
	if team, _, err := s.admin.GetTeamByName(ctx, "raad", ""); err == nil {
		s.team = team
	} else {
		s.team = must[*model.Team](t, "create team")(s.admin.CreateTeam(ctx, &model.Team{Name: "raad", DisplayName: "Raad", Type: model.TeamOpen}))
	}
	if ch, _, err := s.admin.GetChannelByName(ctx, "e2e", s.team.Id, ""); err == nil {
		s.channel = ch
	} else {
		s.channel = must[*model.Channel](t, "create channel")(s.admin.CreateChannel(ctx, &model.Channel{TeamId: s.team.Id, Name: "e2e", DisplayName: "e2e", Type: model.ChannelTypeOpen}))
	}
	if u, _, err := s.admin.GetUserByUsername(ctx, "waardenbot", ""); err == nil {
		s.botUser = u
	} else {
		b := must[*model.Bot](t, "create bot")(s.admin.CreateBot(ctx, &model.Bot{Username: "waardenbot", DisplayName: "waardenbot", Description: "e2e"}))
		s.botUser = must[*model.User](t, "get bot user")(s.admin.GetUser(ctx, b.UserId, ""))
	}
	tok := must[*model.UserAccessToken](t, "create bot token")(s.admin.CreateUserAccessToken(ctx, s.botUser.Id, "e2e", 0))
	s.botToken = tok.Token
	must[*model.TeamMember](t, "add bot to team")(s.admin.AddTeamMember(ctx, s.team.Id, s.botUser.Id))
	must[*model.ChannelMember](t, "add bot to channel")(s.admin.AddChannelMember(ctx, s.channel.Id, s.botUser.Id))
	return s
}

// setBotRoles sets the bot's system roles and its roles in the team.
func (s *e2eServer) setBotRoles(t *testing.T, ctx context.Context, system, team string) {
	t.Helper()
	if _, err := s.admin.UpdateUserRoles(ctx, s.botUser.Id, system); err != nil {
		t.Fatalf("set bot roles %q: %v", system, err)
	}
	if _, err := s.admin.UpdateTeamMemberRoles(ctx, s.team.Id, s.botUser.Id, team); err != nil {
		t.Fatalf("set bot team roles %q: %v", team, err)
	}
}

// runBot starts the adapter for the server, with polls and schedules in a
// real bbolt file, and the scheduler and the poll deadlines wired as the
// run command wires them. It returns a function that stops it all and
// waits.
func (s *e2eServer) runBot(t *testing.T, addr string, logs io.Writer) (*Adapter, func()) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st, err := store.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(testKB, bot.Config{}, log, bot.WithStore(st))
	cfg := Config{URL: s.url, BotToken: s.botToken, Teams: []string{s.team.Name}, Listen: addr, PublicURL: "http://" + addr}
	a := New(cfg, b, log)
	b.UseRosters(bot.Rosters{Platform: a})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var wg sync.WaitGroup
	wg.Go(func() { b.RunDeadlines(ctx, a, time.Second) })
	wg.Go(func() { b.RunReminders(ctx, time.Second) })
	wg.Go(func() {
		if err := b.Scheduler().Run(ctx, a); err != nil {
			t.Errorf("scheduler: %v", err)
		}
	})
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the bot did not stop within 10 s")
		}
		wg.Wait()
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	}
	return a, stop
}

// user finds or creates a user, puts it in the team and the channel, and
// returns a client logged in as that user.
func (s *e2eServer) user(t *testing.T, ctx context.Context, name string) (*model.Client4, *model.User) {
	t.Helper()
	const pass = "E2e-User-Passw0rd!"
	u, _, err := s.admin.GetUserByUsername(ctx, name, "")
	if err != nil {
		u = must[*model.User](t, "create user "+name)(s.admin.CreateUser(ctx, &model.User{Email: name + "@example.com", Username: name, Password: pass}))
	}
	must[*model.TeamMember](t, "add "+name+" to team")(s.admin.AddTeamMember(ctx, s.team.Id, u.Id))
	must[*model.ChannelMember](t, "add "+name+" to channel")(s.admin.AddChannelMember(ctx, s.channel.Id, u.Id))
	c := model.NewAPIv4Client(s.url)
	must[*model.User](t, "log in as "+name)(c.Login(ctx, name, pass))
	return c, u
}

// buttonNames are the names of a post's buttons.
func buttonNames(p *model.Post) []string {
	var out []string
	for _, att := range p.Attachments() {
		for _, act := range att.Actions {
			out = append(out, act.Name)
		}
	}
	return out
}

// ourCommands are the team's custom commands, by trigger.
func (s *e2eServer) ourCommands(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	cmds := must[[]*model.Command](t, "list commands")(s.admin.ListCommands(ctx, s.team.Id, true))
	n := map[string]int{}
	for _, c := range cmds {
		n[c.Trigger]++
	}
	return n
}

// botPostAfter waits for a post by the bot in channel, created after since,
// that contains want.
func (s *e2eServer) botPostAfter(t *testing.T, ctx context.Context, channel string, since int64, want string, within time.Duration) *model.Post {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		list, _, err := s.admin.GetPostsSince(ctx, channel, since, false)
		if err == nil {
			for _, p := range list.Posts {
				if p.UserId == s.botUser.Id && strings.Contains(p.Message, want) {
					return p
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no post by the bot containing %q within %s", want, within)
	return nil
}

// botPosts are the bot's posts in channel since a time.
func (s *e2eServer) botPosts(t *testing.T, ctx context.Context, channel string, since int64) []*model.Post {
	t.Helper()
	list := must[*model.PostList](t, "posts")(s.admin.GetPostsSince(ctx, channel, since, false))
	var out []*model.Post
	for _, p := range list.Posts {
		if p.UserId == s.botUser.Id {
			out = append(out, p)
		}
	}
	return out
}

// closeWithDialog clicks a poll's close button as the user of c, waits for
// the confirmation dialog the bot opens (it reaches the user's WebSocket as
// open_dialog, as it reaches their browser) and submits it, as pressing
// "Sluiten" does.
func (s *e2eServer) closeWithDialog(t *testing.T, ctx context.Context, c *model.Client4, post string) *model.SubmitDialogResponse {
	t.Helper()
	ws, err := model.NewWebSocketClient4("ws"+strings.TrimPrefix(s.url, "http"), c.AuthToken)
	if err != nil {
		t.Fatal(err)
	}
	ws.Listen()
	defer ws.Close()
	if _, err := c.DoPostAction(ctx, post, "close"); err != nil {
		t.Fatalf("click close: %v", err)
	}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ws.EventChannel:
			if ev.EventType() != model.WebsocketEventOpenDialog {
				continue
			}
			var d model.OpenDialogRequest
			if err := json.Unmarshal([]byte(ev.GetData()["dialog"].(string)), &d); err != nil {
				t.Fatal(err)
			}
			if d.Dialog.Title != "Peiling sluiten?" || d.Dialog.SubmitLabel != "Sluiten" {
				t.Errorf("dialog %+v", d.Dialog)
			}
			return must[*model.SubmitDialogResponse](t, "submit dialog")(c.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
				URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State, ChannelId: s.channel.Id, TeamId: s.team.Id,
			}))
		case <-ws.ResponseChannel:
		case <-ws.PingTimeoutChannel:
		case <-timeout:
			t.Fatal("no confirmation dialog within 10 s")
		}
	}
}

// waitButtons waits until a post shows n buttons.
func (s *e2eServer) waitButtons(t *testing.T, ctx context.Context, post string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := must[*model.Post](t, "get post")(s.admin.GetPost(ctx, post, ""))
		got := buttonNames(p)
		if len(got) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("post %s shows buttons %q, want %d", post, got, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitLog waits until the log holds want n times.
func waitLog(t *testing.T, logs *testkit.Buffer, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for strings.Count(logs.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the log does not show %q %d times within 30 s", want, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// testWriter sends log lines to the test log, for -v runs.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// freeAddr is a free local address for the bot's listener. The tests need
// the same address for every start of the bot (the commands registered in
// Mattermost point at it), so they choose it once, and a port taken by
// another process in between fails the start with "address already in
// use".
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
