package mattermost

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/mattermost/mattermost/server/public/model"
)

// runWebSocket starts the adapter's identify and WebSocket loop against f
// and stops it when the test ends.
func runWebSocket(t *testing.T, f *fakeMattermost, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if a.identify(ctx) {
			a.listenWebSocket(ctx)
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the WebSocket loop did not stop when cancelled")
		}
	})
	awaitConnection(t, f)
}

func awaitConnection(t *testing.T, f *fakeMattermost) {
	t.Helper()
	select {
	case <-f.wsAuthenticated:
	case <-time.After(5 * time.Second):
		t.Fatal("the adapter did not connect to the WebSocket")
	}
}

func mention(id, channel, text string) *model.Post {
	return &model.Post{Id: id, ChannelId: channel, UserId: "user1", Message: text}
}

func TestMentionIsAnsweredAgainAfterTheConnectionDrops(t *testing.T) {
	f := newFake(t)
	logs := &testkit.Buffer{}
	a := newTestAdapter(t, f, Config{}, logs)
	runWebSocket(t, f, a)

	f.send(mention("p1", "chan1", "@waardenbot vragen camera"), model.ChannelTypeOpen, botID)
	testkit.WaitFor(t, "the first answer", func() bool { return len(f.postsIn("chan1")) == 1 })

	for i := 0; i < 3; i++ { // the server restarts, three times
		f.drop()
		awaitConnection(t, f)
	}
	f.send(mention("p2", "chan1", "@WaardenBot: waarde privacy"), model.ChannelTypeOpen)
	testkit.WaitFor(t, "the answer after reconnecting", func() bool { return len(f.postsIn("chan1")) == 2 })

	posts := f.postsIn("chan1")
	if !strings.Contains(posts[0].Message, "Toezicht en handhaving") || !strings.Contains(posts[1].Message, "**Privacy**") {
		t.Errorf("answers: %q / %q", posts[0].Message, posts[1].Message)
	}
	if got := strings.Count(logs.String(), "connection lost; reconnecting"); got != 3 {
		t.Errorf("%d drops logged, want 3:\n%s", got, logs)
	}
	if strings.Contains(logs.String(), botToken) {
		t.Error("the log shows the bot token")
	}
}

func TestReconnectsWithBackoffWhileTheServerIsDown(t *testing.T) {
	f := newFake(t)
	logs := &testkit.Buffer{}
	a := newTestAdapter(t, f, Config{}, logs)
	a.link.Patience = 0 // every outage is long enough to be an error
	runWebSocket(t, f, a)
	health := func() int {
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return rec.Code
	}
	testkit.WaitFor(t, "the first hello", func() bool { return strings.Contains(logs.String(), "WebSocket authenticated") })
	if code := health(); code != http.StatusOK {
		t.Errorf("healthz %d while connected", code)
	}

	f.mu.Lock()
	f.refuseWebSocket = true // the server is down: every dial fails
	f.mu.Unlock()
	f.drop()
	testkit.WaitFor(t, "three failed reconnects", func() bool { return strings.Count(logs.String(), "WebSocket connection failed; retrying") >= 3 })
	if code := health(); code != http.StatusServiceUnavailable {
		t.Errorf("healthz %d while the WebSocket is down, want 503", code)
	}
	if n := strings.Count(logs.String(), "level=ERROR msg=\"Mattermost WebSocket has been down"); n != 1 {
		t.Errorf("%d errors for one outage, want 1:\n%s", n, logs)
	}
	f.mu.Lock()
	f.refuseWebSocket = false
	f.mu.Unlock()
	awaitConnection(t, f)
	f.send(mention("p1", "chan1", "@waardenbot waarde privacy"), model.ChannelTypeOpen, botID)
	testkit.WaitFor(t, "the answer after the server came back", func() bool { return len(f.postsIn("chan1")) == 1 })
	testkit.WaitFor(t, "the end of the outage in the log", func() bool { return strings.Contains(logs.String(), "Mattermost WebSocket is back") })
	if code := health(); code != http.StatusOK {
		t.Errorf("healthz %d after the server came back", code)
	}
}

func TestWhichPostsGetAnAnswer(t *testing.T) {
	tests := []struct {
		name        string
		post        *model.Post
		channelType model.ChannelType
		mentions    []string
		wantChannel string // where the answer goes; "" for no answer
		wantRoot    string
		wantText    string
	}{
		{"mention in a channel", mention("p1", "chan1", "@waardenbot waarde privacy"), model.ChannelTypeOpen, []string{botID}, "chan1", "", "**Privacy**"},
		{"mention in the middle", mention("p1", "chan1", "hoi @waardenbot, vragen camera"), model.ChannelTypePrivate, nil, "chan1", "", "Toezicht en handhaving"},
		{"mention in a thread", &model.Post{Id: "p2", RootId: "root1", ChannelId: "chan1", UserId: "user1", Message: "@waardenbot waarde privacy"}, model.ChannelTypeOpen, []string{botID}, "chan1", "root1", "**Privacy**"},
		{"direct message without mention", mention("p1", "dm1", "waarde privacy"), model.ChannelTypeDirect, nil, "dm1", "", "**Privacy**"},
		{"help in a direct message stays there", mention("p1", "dm1", "help"), model.ChannelTypeDirect, nil, "dm1", "", "/waarde"},
		{"channel post without mention", mention("p1", "chan1", "waarde privacy"), model.ChannelTypeOpen, nil, "", "", ""},
		{"another user's name", mention("p1", "chan1", "@waardenbot2 waarde privacy"), model.ChannelTypeOpen, nil, "", "", ""},
		{"the bot's own post", &model.Post{Id: "p1", ChannelId: "chan1", UserId: botID, Message: "@waardenbot waarde privacy"}, model.ChannelTypeOpen, []string{botID}, "", "", ""},
		{"another bot's post", &model.Post{Id: "p1", ChannelId: "chan1", UserId: "bot2", Message: "@waardenbot waarde privacy", Props: model.StringInterface{"from_bot": "true"}}, model.ChannelTypeOpen, []string{botID}, "", "", ""},
		{"system message", &model.Post{Id: "p1", ChannelId: "chan1", UserId: "user1", Type: model.PostTypeJoinChannel, Message: "@waardenbot joined"}, model.ChannelTypeOpen, []string{botID}, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			a := newTestAdapter(t, f, Config{}, nil)
			runWebSocket(t, f, a)
			f.send(tc.post, tc.channelType, tc.mentions...)
			// A marker that is always answered: once it is, the post
			// before it has been handled too.
			f.send(mention("marker", "markerchan", "waarde privacy"), model.ChannelTypeDirect)
			testkit.WaitFor(t, "the marker's answer", func() bool { return len(f.postsIn("markerchan")) == 1 })
			a.inflight.Wait() // and every answer under way is written

			f.mu.Lock()
			var answers []*model.Post
			for _, p := range f.posts {
				if p.ChannelId != "markerchan" {
					answers = append(answers, p.Clone())
				}
			}
			f.mu.Unlock()
			if tc.wantChannel == "" {
				if len(answers) != 0 {
					t.Fatalf("answered %q", answers[0].Message)
				}
				return
			}
			if len(answers) != 1 {
				t.Fatalf("%d answers, want 1", len(answers))
			}
			got := answers[0]
			if got.ChannelId != tc.wantChannel || got.RootId != tc.wantRoot || !strings.Contains(got.Message, tc.wantText) {
				t.Errorf("answer in %s (thread %q): %q", got.ChannelId, got.RootId, got.Message)
			}
		})
	}
}

func TestPrivateAnswerToAMentionIsEphemeralOrADirectMessage(t *testing.T) {
	tests := []struct {
		name           string
		allowEphemeral bool
		wantEphemeral  int
		wantDM         int
		wantTries      int // the server is asked once; a refusal is remembered
	}{
		{"bot is system admin: ephemeral posts", true, 2, 0, 2},
		{"bot without the right: direct messages", false, 0, 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.allowEphemeral = tc.allowEphemeral
			a := newTestAdapter(t, f, Config{}, nil)
			runWebSocket(t, f, a)
			for i, q := range []string{"xyzzy", "plugh"} { // not found: for the asker only
				f.send(mention(fmt.Sprint("p", i), "chan1", "@waardenbot waarde "+q), model.ChannelTypeOpen, botID)
				testkit.WaitFor(t, "the private answer", func() bool {
					f.mu.Lock()
					defer f.mu.Unlock()
					return len(f.ephemeral)+len(f.posts) > i
				})
			}
			a.inflight.Wait() // every answer under way is written
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.ephemeral) != tc.wantEphemeral || f.ephemeralTries != tc.wantTries {
				t.Errorf("%d ephemeral posts in %d tries, want %d in %d", len(f.ephemeral), f.ephemeralTries, tc.wantEphemeral, tc.wantTries)
			}
			if tc.wantEphemeral > 0 && (f.ephemeral[0].UserID != "user1" || f.ephemeral[0].Post.ChannelId != "chan1" || !strings.Contains(f.ephemeral[0].Post.Message, "xyzzy")) {
				t.Errorf("ephemeral post %+v", f.ephemeral[0])
			}
			var dm, public int
			for _, p := range f.posts {
				switch p.ChannelId {
				case "dm-user1":
					dm++
				case "chan1":
					public++
				}
			}
			if dm != tc.wantDM || public != 0 {
				t.Errorf("%d direct messages (want %d), %d public posts (want 0)", dm, tc.wantDM, public)
			}
		})
	}
}

func TestStripMentionFindsTheCommand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@waardenbot waarde privacy", "waarde privacy"},
		{"@WaardenBot: vragen camera", "vragen camera"},
		{"hoi @waardenbot, vragen camera", "vragen camera"},
		{"waarde privacy @waardenbot", "waarde privacy"},
		{"waarde privacy @waardenbot.", "waarde privacy"},
		{"@waardenbot\n/waarde privacy", "/waarde privacy"},
		{"@waardenbot waarde @waardenbot privacy", "waarde   privacy"},
		{"waarde privacy", "waarde privacy"},
		{"@waardenbot2 waarde privacy", "@waardenbot2 waarde privacy"},
		{"mail@waardenbot.nl waarde", "mail@waardenbot.nl waarde"},
		{"@waardenbot", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := stripMention(tc.in, "waardenbot"); got != tc.want {
				t.Errorf("stripMention(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzStripMention(f *testing.F) {
	for _, s := range []string{"@waardenbot waarde privacy", "hoi @waardenbot, vragen", "@waardenbot @waardenbot x", "a@waardenbot.b", "@WAARDENBOT:\n/help"} {
		f.Add(s)
	}
	re := mentionPattern(botName)
	f.Fuzz(func(t *testing.T, msg string) {
		got := stripMention(msg, botName)
		if re.MatchString(got) {
			t.Errorf("stripMention(%q) = %q still mentions the bot", msg, got)
		}
		if len(got) > len(msg) {
			t.Errorf("stripMention(%q) = %q grew", msg, got)
		}
	})
}
