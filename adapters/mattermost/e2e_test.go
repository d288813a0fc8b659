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
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

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
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	s := bootstrap(t, ctx, url)
	defer func() {
		for _, c := range s.closers {
			c()
		}
	}()
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
		s.checkWithoutTeamAdmin(t, ctx, addr)
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
	s.checkAsTeamAdmin(t, ctx, addr)

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
		s.casusPoll(t, ctx, addr)
	})

	t.Run("without the system admin role the member count is the channel's, less the bot", func(t *testing.T) {
		n, err := a.MemberCount(ctx, bot.Destination{Platform: Platform, Team: s.team.Id, Channel: s.channel.Id})
		if want := s.humans(t, ctx, s.channel.Id); err != nil || n != want {
			t.Errorf("member count %d (%v), want %d", n, err, want)
		}
	})

	t.Run("exports: CSV, paragraph, the chart at the close and who voted what, uploaded and downloaded again", func(t *testing.T) {
		s.exports(t, ctx, a)
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
		// On a public holiday the prompt would move to the next working
		// day: this channel posts on holidays too.
		resp := must[*model.CommandResponse](t, "/reflectie feestdagen")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/reflectie feestdagen negeren"))
		if !strings.Contains(resp.Text, "komt de reflectie gewoon") {
			t.Fatalf("/reflectie feestdagen negeren: %q", resp.Text)
		}
		since := model.GetMillis() - 1
		resp = must[*model.CommandResponse](t, "/reflectie aan")(s.admin.ExecuteCommand(ctx, s.channel.Id, "/reflectie aan "+spec))
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

	t.Run("the calendar's subcommands answer through the slash command", func(t *testing.T) {
		for _, step := range []struct{ cmd, want string }{
			{"/reflectie aan", "staat aan"},
			{"/reflectie overslaan", "slaat dit kanaal over"},
			{"/reflectie status", "overgeslagen met `/reflectie overslaan`"},
			{"/reflectie hervat", "weer volgens schema"},
			{"/reflectie pauze tot " + time.Now().AddDate(0, 1, 0).Format("02-01-2006"), "pauzeert van"},
			{"/reflectie status", "gepauzeerd van"},
			{"/reflectie uit", "staat uit"},
		} {
			resp := must[*model.CommandResponse](t, step.cmd)(s.admin.ExecuteCommand(ctx, s.channel.Id, step.cmd))
			if !strings.Contains(resp.Text, step.want) {
				t.Errorf("%s: %q lacks %q", step.cmd, resp.Text, step.want)
			}
		}
	})

	t.Run("restarting the bot does not register its commands twice", func(t *testing.T) {
		stop()
		s.setBotRoles(t, ctx, model.SystemUserRoleId+" "+model.SystemAdminRoleId, model.TeamUserRoleId+" "+model.TeamAdminRoleId)
		a, stop = s.runBot(t, addr, logTo)
		waitLog(t, logs, "created=0 updated=0 refused=0", 1)
		waitLog(t, logs, "WebSocket authenticated", 3)
		for trigger, n := range s.ourCommands(t, ctx) {
			if n != 1 {
				t.Errorf("/%s registered %d times", trigger, n)
			}
		}
	})

	t.Run("a command an admin changed is put back at the next start, keeping its token and the admin's name and icon", func(t *testing.T) {
		var waarde *model.Command
		for _, c := range must[[]*model.Command](t, "list commands")(s.admin.ListCommands(ctx, s.team.Id, true)) {
			if c.Trigger == "waarde" {
				waarde = c
			}
		}
		if waarde == nil {
			t.Fatal("/waarde is not registered")
		}
		want := *waarde
		edited := *waarde
		edited.Description, edited.AutoCompleteHint = "stale description", "[stale]"
		edited.Username, edited.IconURL = "raadsgriffie", "https://example.org/griffie.png"
		must[*model.Command](t, "edit /waarde")(s.admin.UpdateCommand(ctx, &edited))
		stop()
		a, stop = s.runBot(t, addr, logTo)
		waitLog(t, logs, "created=0 updated=1 refused=0", 1)
		waitLog(t, logs, "WebSocket authenticated", 4)
		got := must[*model.Command](t, "get /waarde")(s.admin.GetCommandById(ctx, waarde.Id))
		if got.Description != want.Description || got.AutoCompleteHint != want.AutoCompleteHint {
			t.Errorf("/waarde after the restart: description %q, hint %q; want %q, %q", got.Description, got.AutoCompleteHint, want.Description, want.AutoCompleteHint)
		}
		if got.Username != edited.Username || got.IconURL != edited.IconURL {
			t.Errorf("/waarde after the restart: username %q, icon %q; the admin's %q, %q are lost", got.Username, got.IconURL, edited.Username, edited.IconURL)
		}
		if got.Token != waarde.Token {
			t.Errorf("/waarde has a new token after the update")
		}
		if n := s.ourCommands(t, ctx)["waarde"]; n != 1 {
			t.Errorf("/waarde registered %d times", n)
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
		waitLog(t, logs, "WebSocket authenticated", 5)
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

	// Issue 13: participation, reminders and the form dialogs. The
	// reminder comes a minute after its poll starts; the dialogs are
	// checked meanwhile.
	var rp *reminderPoll
	t.Run("a poll with a reminder shows how many of the channel voted", func(t *testing.T) {
		rp = s.startReminderPoll(t, ctx, a)
	})
	t.Run("a form dialog starts a poll once; its errors show beside the fields; a value is added with a dialog", func(t *testing.T) {
		s.formDialogs(t, ctx)
	})
	t.Run("each non-voter is reminded once and privately, also across a restart of the bot", func(t *testing.T) {
		if rp == nil {
			t.Skip("no reminder poll")
		}
		s.checkReminders(t, ctx, rp, func() {
			stop()
			a, stop = s.runBot(t, addr, logTo)
			waitLog(t, logs, "WebSocket authenticated", 6)
		})
	})

	t.Run("two instances on one PostgreSQL database answer a mention once", func(t *testing.T) {
		dsn := storetest.Postgres(t)
		stop() // the bot of the tests above listens too
		stop = func() {}
		for range 2 {
			s.runPostgresBot(t, dsn, "http://"+addr)
		}
		since := model.GetMillis() - 1
		must[*model.Post](t, "post mention")(s.admin.CreatePost(ctx, &model.Post{ChannelId: s.channel.Id, Message: "@waardenbot waarde privacy"}))
		s.botPostAfter(t, ctx, s.channel.Id, since, "**Privacy**", 15*time.Second)
		time.Sleep(3 * time.Second) // a second answer would be there by now
		n := 0
		for _, p := range s.botPosts(t, ctx, s.channel.Id, since) {
			if strings.Contains(p.Message, "**Privacy**") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("the mention was answered %d times, want once", n)
		}
	})

	if strings.Contains(logs.String(), s.botToken) {
		t.Error("the log shows the bot token")
	}
}
