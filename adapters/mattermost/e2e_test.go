//go:build e2e

// End-to-end tests against real Mattermost servers. Run them with
//
//	go test -tags e2e -run E2E -v ./adapters/mattermost
//
// They run the whole test against each server in
// WAARDENBOT_E2E_MATTERMOST_SERVERS (default "6.7.2 11.1": the oldest
// supported server and a current one), one after the other. Each is started
// with e2e/mattermost/start-server.sh (which builds it once with
// build-server.sh) on a fresh database, killed and restarted during the
// test, and stopped afterwards. With WAARDENBOT_E2E_MATTERMOST_URL the test
// runs once against that server instead and does not manage it. The
// servers' Go modules never enter this module: each is built in a folder of
// its own.

package mattermost

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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
	db        string // the bot's data file, kept across restarts of the bot
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
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var wg sync.WaitGroup
	wg.Go(func() { b.RunDeadlines(ctx, a, time.Second) })
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

func TestE2EMattermost(t *testing.T) {
	if url := os.Getenv("WAARDENBOT_E2E_MATTERMOST_URL"); url != "" {
		testE2E(t, url, "")
		return
	}
	servers := strings.Fields(cmp.Or(os.Getenv("WAARDENBOT_E2E_MATTERMOST_SERVERS"), "6.7.2 11.1"))
	for _, version := range servers {
		t.Run("Mattermost "+version, func(t *testing.T) {
			startServer(t, version, "reset") // a fresh database for every run
			url := startServer(t, version, "start")
			t.Cleanup(func() { startServer(t, version, "stop") })
			testE2E(t, url, version)
		})
	}
}

// testE2E runs every end-to-end check against the server at url. version
// names the server that the test manages (it kills and restarts it), or is
// empty for a server started outside the test.
func testE2E(t *testing.T, url, version string) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := bootstrap(t, ctx, url)
	// Under a post edit time limit a current server refuses any post
	// patch that carries a message once the limit has passed, 6.7.2 one
	// that changes the message. The limit holds for the whole run, so
	// every redraw below (clicks, a typed /stem, /sluit, the dialog, a
	// deadline) happens on posts older than the limit.
	limit := must[*model.Config](t, "set a post edit time limit")(s.admin.PatchConfig(ctx, &model.Config{ServiceSettings: model.ServiceSettings{PostEditTimeLimit: model.NewPointer(1)}}))
	if got := *limit.ServiceSettings.PostEditTimeLimit; got != 1 {
		t.Fatalf("post edit time limit %d, want 1", got)
	}
	defer s.admin.PatchConfig(context.Background(), &model.Config{ServiceSettings: model.ServiceSettings{PostEditTimeLimit: model.NewPointer(-1)}})
	defer func() {
		t.Logf("the end-to-end run against %s took %s", cmp.Or(version, url), time.Since(start).Round(time.Second))
	}()
	logs := &testkit.Buffer{}
	logTo := io.MultiWriter(logs, testWriter{t})
	addr := freeAddr(t)

	t.Run("without the right to manage commands the bot says what to do and answers privately by direct message", func(t *testing.T) {
		// A current server refuses to take the system admin role from the
		// bot while only one human admin exists ("Cannot demote last
		// System Admin"), so the test never demotes it: the bot starts as
		// a plain user and is promoted later.
		if strings.Contains(s.botUser.Roles, model.SystemAdminRoleId) {
			t.Skip("the bot account is a system admin already (a server used before): reset the server with start-server.sh reset")
		}
		s.setBotRoles(t, ctx, model.SystemUserRoleId, model.TeamUserRoleId)
		_, stop := s.runBot(t, addr, logTo)
		defer stop()
		waitLog(t, logs, "manage_slash_commands", 1)
		waitLog(t, logs, "WebSocket authenticated", 1)
		dm := must[*model.Channel](t, "direct channel")(s.admin.CreateDirectChannel(ctx, s.adminUser.Id, s.botUser.Id))
		since := model.GetMillis() - 1
		must[*model.Post](t, "post mention")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "@waardenbot waarde xyzzy"}))
		s.botPostAfter(t, ctx, dm.Id, since, "xyzzy", 15*time.Second)
		if p := s.botPosts(t, ctx, s.channel.Id, since); len(p) != 0 {
			t.Errorf("the refusal was posted in the channel: %q", p[0].Message)
		}
	})

	s.setBotRoles(t, ctx, model.SystemUserRoleId, model.TeamUserRoleId+" "+model.TeamAdminRoleId)
	a, stop := s.runBot(t, addr, logTo)
	defer func() { stop() }()
	waitLog(t, logs, "slash commands ready", 1)
	if version != "" && !strings.Contains(logs.String(), "server_version="+version) {
		t.Errorf("the log does not name server version %s", version)
	}
	waitLog(t, logs, "WebSocket authenticated", 2)
	if n := s.ourCommands(t, ctx); len(n) != len(a.slashCommands()) {
		t.Fatalf("as team admin the bot registered %v", n)
	}

	// A poll that closes by itself in a minute; the bot and the server
	// restart before then, and the last subtest checks the close.
	dora, _ := s.user(t, ctx, "dora")
	deadlineSince := model.GetMillis() - 1
	must[*model.CommandResponse](t, "/stelling duur=1m")(dora.ExecuteCommand(ctx, s.channel.Id, "/stelling duur=1m De gemeente publiceert al haar algoritmes"))
	deadlinePoll := s.botPostAfter(t, ctx, s.channel.Id, deadlineSince, "algoritmes", 10*time.Second)
	deadlineAt := time.Now().Add(time.Minute)

	t.Run("slash commands answer in the channel", func(t *testing.T) {
		tests := []struct{ command, want string }{
			{"/waarde privacy", "**Privacy**"},
			{"/vragen beveiliging", "Beveiliging"},
			{"/waardenbot", "/vragen"},
		}
		for _, tc := range tests {
			since := model.GetMillis() - 1
			resp := must[*model.CommandResponse](t, tc.command)(s.admin.ExecuteCommand(ctx, s.channel.Id, tc.command))
			if !strings.Contains(resp.Text, tc.want) {
				t.Errorf("%s: %s %q", tc.command, resp.ResponseType, resp.Text)
			}
			if resp.ResponseType == model.CommandResponseTypeEphemeral {
				continue
			}
			list := must[*model.PostList](t, "posts")(s.admin.GetPostsSince(ctx, s.channel.Id, since, false))
			found := false
			for _, p := range list.Posts {
				found = found || strings.Contains(p.Message, tc.want)
			}
			if !found {
				t.Errorf("%s: no post in the channel", tc.command)
			}
		}
	})

	t.Run("a refusal to a slash command is only for the asker", func(t *testing.T) {
		resp := must[*model.CommandResponse](t, "/waarde xyzzy")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/waarde xyzzy"))
		if resp.ResponseType != model.CommandResponseTypeEphemeral || !strings.Contains(resp.Text, "xyzzy") {
			t.Errorf("%s %q", resp.ResponseType, resp.Text)
		}
	})

	t.Run("a request with a forged token is refused", func(t *testing.T) {
		form := commandForm("forged", "/waarde", "privacy")
		resp, err := http.PostForm("http://"+addr+"/mattermost/command", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
	})

	t.Run("mention in a channel", func(t *testing.T) {
		since := model.GetMillis() - 1
		must[*model.Post](t, "post mention")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "@waardenbot vragen camera"}))
		s.botPostAfter(t, ctx, s.channel.Id, since, "Toezicht en handhaving", 15*time.Second)
	})

	t.Run("mention in a thread is answered in the thread", func(t *testing.T) {
		root := must[*model.Post](t, "root post")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "Wat vinden we van camera's?"}))
		since := model.GetMillis() - 1
		must[*model.Post](t, "reply")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, RootId: root.Id, Message: "@waardenbot waarde privacy"}))
		if p := s.botPostAfter(t, ctx, s.channel.Id, since, "**Privacy**", 15*time.Second); p.RootId != root.Id {
			t.Errorf("answer not in the thread: root %q", p.RootId)
		}
	})

	t.Run("direct message", func(t *testing.T) {
		dm := must[*model.Channel](t, "direct channel")(s.admin.CreateDirectChannel(ctx, s.adminUser.Id, s.botUser.Id))
		since := model.GetMillis() - 1
		must[*model.Post](t, "post DM")(s.admin.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: "vragen camera"}))
		s.botPostAfter(t, ctx, dm.Id, since, "Toezicht en handhaving", 15*time.Second)
	})

	t.Run("a message longer than a post is split into posts the server accepts", func(t *testing.T) {
		para := strings.Repeat("é", 7000) // 7000 runes, 14000 bytes
		text := "**Reflectie** @channel\n\n" + para + "\n\n" + para + "\n\n" + para
		since := model.GetMillis() - 1
		if err := a.Post(ctx, bot.Destination{Platform: Platform, Team: s.team.Id, Channel: s.channel.Id}, bot.Reply{Text: text}); err != nil {
			t.Fatal(err)
		}
		posts := s.botPosts(t, ctx, s.channel.Id, since)
		if len(posts) != 2 {
			t.Fatalf("%d posts, want 2", len(posts))
		}
		runes := 0
		for _, p := range posts {
			runes += len([]rune(p.Message))
			if p.RootId != "" || strings.Contains(p.Message, "@channel") {
				t.Errorf("post in thread %q or pinging the channel: %.40q", p.RootId, p.Message)
			}
		}
		if runes < 3*7000 {
			t.Errorf("%d runes posted, want at least %d", runes, 3*7000)
		}
	})

	t.Run("a casus poll: three users click, one changes their vote, the creator closes it", func(t *testing.T) {
		// The post edit time limit (1 s, set above) passes before the
		// first click: the bot keeps the message and patches only the
		// attachment.
		anna, annaUser := s.user(t, ctx, "anna")
		bob, _ := s.user(t, ctx, "bob")
		carla, _ := s.user(t, ctx, "carla")
		since := model.GetMillis() - 1
		resp := must[*model.CommandResponse](t, "/casus")(anna.ExecuteCommand(ctx, s.channel.Id, "/casus Zetten we camera's met gezichtsherkenning in op het stationsplein? | privacy, veiligheid, gelijkheid"))
		if resp.Text != "" {
			t.Fatalf("the command answered %q; want the poll as the bot's post", resp.Text)
		}
		poll := s.botPostAfter(t, ctx, s.channel.Id, since, "gezichtsherkenning", 10*time.Second)
		if got := buttonNames(poll); len(got) != 4 || got[0] != "Privacy · 0" {
			t.Fatalf("buttons %q", got)
		}
		time.Sleep(1500 * time.Millisecond) // past the edit time limit

		clicks := []struct {
			who    *model.Client4
			action string
		}{
			{anna, "v0"}, {bob, "v0"}, {carla, "v1"},
			{carla, "v1"}, {carla, "v2"}, // carla changes her vote from Veiligheid to Gelijkheid
		}
		for _, c := range clicks {
			if _, err := c.who.DoPostAction(ctx, poll.Id, c.action); err != nil {
				t.Fatalf("click %s: %v", c.action, err)
			}
		}
		want := []string{"Privacy · 2", "Veiligheid · 0", "Gelijkheid · 1", "Sluit de peiling"}
		now := must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
		if got := buttonNames(now); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("after the clicks the post shows %q, want %q", got, want)
		}
		if now.Message != poll.Message {
			t.Errorf("the message changed:\n%q\n%q", now.Message, poll.Message)
		}

		// A vote typed with /stem redraws the post too: the bot patches
		// its own post, keeping the message.
		pollID := strings.Trim(strings.Fields(strings.SplitN(poll.Message, "\n", 2)[0])[3], "`")
		must[*model.CommandResponse](t, "/stem")(bob.ExecuteCommand(ctx, s.channel.Id, "/stem "+pollID+" gelijkheid"))
		want = []string{"Privacy · 1", "Veiligheid · 0", "Gelijkheid · 2", "Sluit de peiling"}
		deadline := time.Now().Add(10 * time.Second)
		for {
			now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
			if strings.Join(buttonNames(now), "|") == strings.Join(want, "|") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after /stem the post shows %q, want %q", buttonNames(now), want)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if now.Message != poll.Message {
			t.Errorf("the redraw after /stem changed the message")
		}

		// A forged click, straight at the bot, with a context the bot did
		// not sign: refused, and nothing changes.
		forged := model.PostActionIntegrationRequest{
			UserId: annaUser.Id, UserName: "anna", ChannelId: s.channel.Id, TeamId: s.team.Id, PostId: poll.Id, Type: "button",
			Context: map[string]any{"op": "vote", "poll": pollID, "option": "veiligheid", "team": s.team.Id, "channel": s.channel.Id, "mac": strings.Repeat("00", 32)},
		}
		body, _ := json.Marshal(forged)
		hr, err := http.Post("http://"+addr+"/mattermost/action", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var fr model.PostActionIntegrationResponse
		json.NewDecoder(hr.Body).Decode(&fr)
		hr.Body.Close()
		if fr.Update != nil || !strings.Contains(fr.EphemeralText, "niet (meer) geldig") {
			t.Errorf("forged click: status %d, update %v, ephemeral %q", hr.StatusCode, fr.Update != nil, fr.EphemeralText)
		}
		now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
		if got := buttonNames(now); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("after the forged click the post shows %q, want %q", got, want)
		}

		// The close button asks for confirmation in a dialog. bob did not
		// start the poll: his confirmed close is refused in the dialog.
		if got := s.closeWithDialog(t, ctx, bob, poll.Id); !strings.Contains(got.Error, "kan alleen sluiten") {
			t.Errorf("bob's confirmed close: %+v", got)
		}
		now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
		if got := buttonNames(now); len(got) != 4 {
			t.Errorf("bob closed anna's poll: buttons %q", got)
		}

		closedAt := model.GetMillis() - 1
		if got := s.closeWithDialog(t, ctx, anna, poll.Id); got.Error != "" {
			t.Fatalf("anna's confirmed close: %q", got.Error)
		}
		result := s.botPostAfter(t, ctx, s.channel.Id, closedAt, "Uitslag van peiling", 10*time.Second)
		if !strings.Contains(result.Message, "**Privacy** (Vrijheid): 1 stem (") {
			t.Errorf("result post:\n%s", result.Message)
		}
		s.waitButtons(t, ctx, poll.Id, 0)
		now = must[*model.Post](t, "get poll post")(s.admin.GetPost(ctx, poll.Id, ""))
		if atts := now.Attachments(); len(atts) != 1 || !strings.Contains(atts[0].Text, "Per cluster") {
			t.Errorf("the closed poll's attachment does not show the result: %+v", atts)
		}
		t.Logf("poll %s: 5 clicks, a typed vote, a forged click and a refused close; closed by its creator after the confirmation dialog", pollID)
	})

	t.Run("a channel member may not close another user's poll; a system admin may", func(t *testing.T) {
		bob, _ := s.user(t, ctx, "bob")
		erik, _ := s.user(t, ctx, "erik")
		since := model.GetMillis() - 1
		must[*model.CommandResponse](t, "/stelling")(bob.ExecuteCommand(ctx, s.channel.Id, "/stelling Camera's horen niet in de binnenstad"))
		poll := s.botPostAfter(t, ctx, s.channel.Id, since, "binnenstad", 10*time.Second)
		pollID := strings.Trim(strings.Fields(strings.SplitN(poll.Message, "\n", 2)[0])[3], "`")
		resp := must[*model.CommandResponse](t, "/sluit as erik")(erik.ExecuteCommand(ctx, s.channel.Id, "/sluit "+pollID))
		if !strings.Contains(resp.Text, "kan alleen sluiten") {
			t.Errorf("erik closing bob's poll: %q", resp.Text)
		}
		resp = must[*model.CommandResponse](t, "/sluit as admin")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/sluit "+pollID))
		if !strings.Contains(resp.Text, "gesloten") || strings.Contains(resp.Text, "kan alleen sluiten") {
			t.Errorf("the system admin closing bob's poll: %q", resp.Text)
		}
		s.waitButtons(t, ctx, poll.Id, 0)
	})

	t.Run("a reflection prompt scheduled a few seconds ahead appears once", func(t *testing.T) {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().In(loc).Add(6 * time.Second).Truncate(time.Second)
		spec := fmt.Sprintf("%d %d %d * * *", at.Second(), at.Minute(), at.Hour())
		since := model.GetMillis() - 1
		resp := must[*model.CommandResponse](t, "/reflectie aan")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/reflectie aan "+spec))
		if !strings.Contains(resp.Text, "staat aan") {
			t.Fatalf("/reflectie aan %s: %q", spec, resp.Text)
		}
		defer s.admin.ExecuteCommand(ctx, s.channel.Id, "/reflectie uit")
		p := s.botPostAfter(t, ctx, s.channel.Id, since, "**Reflectie**", 20*time.Second)
		t.Logf("prompt posted %s after its time", time.Since(at).Round(time.Millisecond))
		time.Sleep(3 * time.Second)
		n := 0
		for _, q := range s.botPosts(t, ctx, s.channel.Id, since) {
			if strings.Contains(q.Message, "**Reflectie**") && q.RootId == "" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d reflection prompts posted, want 1 (first: %.60q)", n, p.Message)
		}
	})

	t.Run("restarting the bot does not register its commands twice", func(t *testing.T) {
		stop()
		s.setBotRoles(t, ctx, model.SystemUserRoleId+" "+model.SystemAdminRoleId, model.TeamUserRoleId+" "+model.TeamAdminRoleId)
		_, stop = s.runBot(t, addr, logTo)
		waitLog(t, logs, "created=0 updated=0 refused=0", 1)
		waitLog(t, logs, "WebSocket authenticated", 3)
		for trigger, n := range s.ourCommands(t, ctx) {
			if n != 1 {
				t.Errorf("/%s registered %d times", trigger, n)
			}
		}
		// The restarted bot accepts the tokens Mattermost issued before.
		resp := must[*model.CommandResponse](t, "/waarde privacy")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/waarde privacy"))
		if !strings.Contains(resp.Text, "**Privacy**") {
			t.Errorf("after restart: %q", resp.Text)
		}
	})

	t.Run("as system admin the bot answers a mention privately with an ephemeral post", func(t *testing.T) {
		ws, err := model.NewWebSocketClient4("ws"+strings.TrimPrefix(url, "http"), s.admin.AuthToken)
		if err != nil {
			t.Fatal(err)
		}
		ws.Listen()
		defer ws.Close()
		since := model.GetMillis() - 1
		must[*model.Post](t, "post mention")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "@waardenbot waarde xyzzy"}))
		timeout := time.After(15 * time.Second)
	wait:
		for {
			select {
			case ev := <-ws.EventChannel:
				if ev.EventType() == model.WebsocketEventEphemeralMessage && strings.Contains(ev.GetData()["post"].(string), "xyzzy") {
					break wait
				}
			case <-ws.ResponseChannel:
			case <-ws.PingTimeoutChannel:
			case <-timeout:
				t.Fatal("no ephemeral post within 15 s")
			}
		}
		if p := s.botPosts(t, ctx, s.channel.Id, since); len(p) != 0 {
			t.Errorf("the refusal was posted in the channel: %q", p[0].Message)
		}
	})

	t.Run("the bot reconnects within 30 s after the server is killed and restarted", func(t *testing.T) {
		if version == "" {
			t.Skip("the server was started outside the test; it is not restarted")
		}
		killed := time.Now()
		startServer(t, version, "crash")
		t.Logf("server back after %s", time.Since(killed).Round(time.Millisecond))
		// Posts made while the bot is disconnected are not replayed by
		// the server after a restart: wait until the bot is back.
		waitLog(t, logs, "WebSocket authenticated", 4)
		t.Logf("bot reconnected %s after the kill", time.Since(killed).Round(time.Millisecond))
		since := model.GetMillis() - 1
		must[*model.Post](t, "post mention")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "@waardenbot waarde privacy"}))
		s.botPostAfter(t, ctx, s.channel.Id, since, "**Privacy**", 30*time.Second-time.Since(killed))
		t.Logf("answered %s after the kill", time.Since(killed).Round(time.Millisecond))
	})

	t.Run("a poll closes at its deadline after a bot and a server restart: one result, the post redrawn", func(t *testing.T) {
		wait := time.Until(deadlineAt)
		t.Logf("waiting %s for the deadline", wait.Round(time.Second))
		id := strings.Trim(strings.Fields(strings.SplitN(deadlinePoll.Message, "\n", 2)[0])[3], "`")
		want := "Peiling `" + id + "` is gesloten: de tijd is om."
		result := s.botPostAfter(t, ctx, s.channel.Id, deadlineSince, want, wait+20*time.Second)
		t.Logf("result posted %s after the deadline", time.Since(deadlineAt).Round(time.Millisecond))
		s.waitButtons(t, ctx, deadlinePoll.Id, 0)
		time.Sleep(3 * time.Second) // the deadline loop runs every second
		n := 0
		for _, p := range s.botPosts(t, ctx, s.channel.Id, deadlineSince) {
			if strings.Contains(p.Message, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("the result was posted %d times:\n%s", n, result.Message)
		}
	})

	if strings.Contains(logs.String(), s.botToken) {
		t.Error("the log shows the bot token")
	}
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
