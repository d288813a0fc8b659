package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/knowledge"
)

const testSecret = "test-signing-secret"

var testKB = knowledge.MustLoad()

func newTestAdapter(t *testing.T, api *fakeSlack, now time.Time) *Adapter {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := bot.New(testKB, bot.Config{}, log)
	cfg := Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, Listen: "127.0.0.1:0"}
	if api != nil {
		cfg.APIURL = api.URL + "/api/"
	}
	return New(cfg, b, log, WithClock(func() time.Time { return now }))
}

func sign(secret string, ts time.Time, body string) http.Header {
	h := http.Header{}
	s := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + s + ":" + body))
	h.Set("X-Slack-Request-Timestamp", s)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

func post(t *testing.T, h http.Handler, path, body string, header http.Header, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func commandBody(command, text, responseURL string) string {
	return url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"piet"},
		"command": {command}, "text": {text}, "response_url": {responseURL}, "trigger_id": {"1.2.3"},
	}.Encode()
}

const form = "application/x-www-form-urlencoded"

func TestSignedSlashCommandAnswersInTheResponse(t *testing.T) {
	now := time.Now()
	a := newTestAdapter(t, nil, now)
	body := commandBody("/waarde", "privacy", "")
	rec := post(t, a.Handler(), "/slack/commands", body, sign(testSecret, now, body), form)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var msg struct {
		ResponseType string            `json:"response_type"`
		Text         string            `json:"text"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &msg); err != nil {
		t.Fatal(err)
	}
	if msg.ResponseType != slack.ResponseTypeInChannel || !strings.Contains(msg.Text, "*Privacy*") || len(msg.Blocks) == 0 {
		t.Errorf("response: %s", rec.Body)
	}
	// Help and refusals are only for the asker.
	body = commandBody("/waarde", "xyzzy", "")
	rec = post(t, a.Handler(), "/slack/commands", body, sign(testSecret, now, body), form)
	json.Unmarshal(rec.Body.Bytes(), &msg)
	if msg.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("not found should be ephemeral: %s", rec.Body)
	}
}

func TestUnverifiedRequestsGet401(t *testing.T) {
	now := time.Now()
	a := newTestAdapter(t, nil, now)
	body := commandBody("/waarde", "privacy", "")
	tests := []struct {
		name   string
		header http.Header
		body   string
	}{
		{"unsigned", http.Header{}, body},
		{"tampered", sign(testSecret, now, body), body + "&text=orde"},
		{"wrong secret", sign("other", now, body), body},
		{"replayed after six minutes", sign(testSecret, now.Add(-6*time.Minute), body), body},
	}
	for _, tc := range tests {
		for _, path := range []string{"/slack/commands", "/slack/events"} {
			t.Run(tc.name+path, func(t *testing.T) {
				if rec := post(t, a.Handler(), path, tc.body, tc.header, form); rec.Code != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", rec.Code)
				}
			})
		}
	}
}

func TestHealthz(t *testing.T) {
	a := newTestAdapter(t, nil, time.Now())
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("healthz %d", rec.Code)
	}
}

func TestURLVerificationChallenge(t *testing.T) {
	now := time.Now()
	a := newTestAdapter(t, nil, now)
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	rec := post(t, a.Handler(), "/slack/events", body, sign(testSecret, now, body), "application/json")
	if rec.Code != http.StatusOK || rec.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge: %d %q", rec.Code, rec.Body)
	}
}

func eventBody(id, inner string) string {
	return fmt.Sprintf(`{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":%q,"event_time":1,"event":%s}`, id, inner)
}

func TestMentionIsAnsweredOnceInTheChannel(t *testing.T) {
	api := newFakeSlack(t)
	now := time.Now()
	a := newTestAdapter(t, api, now)
	body := eventBody("Ev1", `{"type":"app_mention","user":"U1","text":"<@UBOT> vragen camera","ts":"1.1","channel":"C1","event_ts":"1.1"}`)
	for i := 0; i < 2; i++ { // Slack retries: the same event twice
		if rec := post(t, a.Handler(), "/slack/events", body, sign(testSecret, now, body), "application/json"); rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	}
	a.wait()
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("posted %d times, want once", len(posts))
	}
	if p := posts[0].Form; p.Get("channel") != "C1" || !strings.Contains(p.Get("text"), "Toezicht en handhaving") {
		t.Errorf("post: %v", p)
	}
}

func TestDirectMessageIsAnsweredAndOwnMessagesIgnored(t *testing.T) {
	api := newFakeSlack(t)
	now := time.Now()
	a := newTestAdapter(t, api, now)
	a.botUserID = "UBOT"
	own := eventBody("Ev2", `{"type":"message","channel_type":"im","user":"UBOT","text":"waarde privacy","ts":"1.2","channel":"D1"}`)
	botMsg := eventBody("Ev3", `{"type":"message","channel_type":"im","bot_id":"B1","text":"waarde privacy","ts":"1.3","channel":"D1"}`)
	dm := eventBody("Ev4", `{"type":"message","channel_type":"im","user":"U1","text":"waarde privacy","ts":"1.4","channel":"D1"}`)
	for _, body := range []string{own, botMsg, dm} {
		post(t, a.Handler(), "/slack/events", body, sign(testSecret, now, body), "application/json")
	}
	a.wait()
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("channel") != "D1" || !strings.Contains(posts[0].Form.Get("text"), "Privacy") {
		t.Errorf("posts: %+v", posts)
	}
}

func TestRateLimitedPostIsRetriedAfterRetryAfter(t *testing.T) {
	api := newFakeSlack(t)
	api.limitNext = 1
	a := newTestAdapter(t, api, time.Now())
	start := time.Now()
	err := a.send(context.Background(), "C1", "U1", "", bot.Reply{Text: "**hallo**"})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if len(api.sent("chat.postMessage")) != 1 {
		t.Errorf("message not delivered after the 429")
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("retried after %v, before Retry-After", waited)
	}
}

func TestSlowCommandFollowsUpThroughResponseURL(t *testing.T) {
	var mu sync.Mutex
	var got map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		json.NewDecoder(r.Body).Decode(&got)
	}))
	defer hook.Close()
	now := time.Now()
	a := newTestAdapter(t, nil, now)
	a.inlineWait = 0 // every answer that may wait for the disk counts as slow
	body := commandBody("/peilingen", "", hook.URL)
	rec := post(t, a.Handler(), "/slack/commands", body, sign(testSecret, now, body), form)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	testkit.WaitFor(t, "the follow-up", func() bool { mu.Lock(); defer mu.Unlock(); return got != nil })
	mu.Lock()
	defer mu.Unlock()
	if got["response_type"] != "ephemeral" || !strings.Contains(fmt.Sprint(got["text"]), "Peilingen zijn niet beschikbaar") {
		t.Errorf("follow-up: %v", got)
	}
}

func TestEveryRenderedMessageRespectsSlackLimits(t *testing.T) {
	b := bot.New(testKB, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	texts := []string{"/waarde", "/vragen", "/help", "/vragen bestuur", "/vragen bedrijfsvoering", "/vragen gemeentelijke processen", "/waarde zorg"}
	for _, v := range testKB.Values() {
		texts = append(texts, "/waarde "+v.Name, "/vragen "+v.Name)
	}
	for _, th := range testKB.Themes() {
		texts = append(texts, "/vragen "+th.Name)
	}
	replies := []bot.Reply{{Text: strings.Repeat("lange tekst ", 20000)}, {Text: strings.Repeat("x", 200000)}}
	for _, text := range texts {
		replies = append(replies, b.HandleText(context.Background(), bot.Request{Channel: "C1", User: "U1"}, text))
	}
	for i, r := range replies {
		m := render(r)
		checkLimits(t, fmt.Sprint(i), m)
	}
}

func checkLimits(t *testing.T, name string, m message) {
	t.Helper()
	if len(m.Blocks) == 0 || len(m.Blocks) > maxBlocks {
		t.Errorf("%s: %d blocks", name, len(m.Blocks))
	}
	if n := utf8.RuneCountInString(m.Text); n == 0 || n > maxMessageText {
		t.Errorf("%s: text of %d characters", name, n)
	}
	for _, blk := range m.Blocks {
		if s, ok := blk.(*slack.SectionBlock); ok {
			if n := utf8.RuneCountInString(s.Text.Text); n == 0 || n > maxSectionText {
				t.Errorf("%s: section of %d characters", name, n)
			}
		}
	}
}

func TestMrkdwn(t *testing.T) {
	tests := map[string]string{
		"**Privacy** · waarde":    "*Privacy* · waarde",
		"> “citaat” & meer":       "> “citaat” &amp; meer",
		"a > b < c":               "a &gt; b &lt; c",
		`\<!channel\> en \*vet\*`: "\u200b&lt;!channel\u200b&gt; en \u200b*vet\u200b*",
		"_cursief_\n- punt":       "_cursief_\n- punt",
		"<!here> <@U123>":         "&lt;!here&gt; &lt;@U123&gt;",
	}
	for in, want := range tests {
		if got := mrkdwn(in); got != want {
			t.Errorf("mrkdwn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoldenValueCard(t *testing.T) {
	b := bot.New(testKB, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := b.HandleText(context.Background(), bot.Request{Channel: "C1", User: "U1"}, "/waarde privacy")
	golden(t, "value_card.json", newTestAdapter(t, nil, time.Now()).commandResponse(r))
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", name), got)
}

func TestPostSendsToTheChannel(t *testing.T) {
	api := newFakeSlack(t)
	a := newTestAdapter(t, api, time.Now())
	var p bot.Poster = a
	if err := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C9"}, bot.Reply{Text: "**Reflectie** @channel"}); err != nil {
		t.Fatal(err)
	}
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("channel") != "C9" || !strings.Contains(posts[0].Form.Get("text"), "*Reflectie*") {
		t.Errorf("posts: %+v", posts)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newBenchBot() *bot.Bot { return bot.New(testKB, bot.Config{}, discardLog()) }

func TestSSLCheckGetsAnEmpty200(t *testing.T) {
	now := time.Now()
	a := newTestAdapter(t, nil, now)
	body := "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO"
	rec := post(t, a.Handler(), "/slack/commands", body, sign(testSecret, now, body), form)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("ssl_check: %d %q, want 200 and nothing", rec.Code, rec.Body)
	}
}
