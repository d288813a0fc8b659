package mattermost

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/mattermost/mattermost/server/public/model"
)

// start runs what Run does before the WebSocket: identify and register.
func start(t *testing.T, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if !a.identify(ctx) {
		t.Fatal("identify did not finish")
	}
	a.registerAll(ctx)
}

func TestCommandsAreCreatedOnceAndUpdatedNotDuplicatedOnRestart(t *testing.T) {
	f := newFake(t)
	cfg := Config{Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl"}

	a := newTestAdapter(t, f, cfg, nil)
	start(t, a)
	first := f.commandList()
	if len(first) != len(a.slashCommands()) {
		t.Fatalf("first start registered %d commands, want %d", len(first), len(a.slashCommands()))
	}
	for _, c := range first {
		if c.URL != "https://bot.gemeente.nl/mattermost/command" || c.Method != model.CommandMethodPost || !c.AutoComplete || c.AutoCompleteDesc == "" {
			t.Errorf("command /%s: %+v", c.Trigger, c)
		}
	}

	start(t, newTestAdapter(t, f, cfg, nil)) // a restart with the same configuration
	if again := f.commandList(); len(again) != len(first) {
		t.Fatalf("restart: %d commands, want %d (duplicated)", len(again), len(first))
	}

	cfg.PublicURL = "https://nieuw.gemeente.nl/bot"
	logs := &testkit.Buffer{}
	a = newTestAdapter(t, f, cfg, logs)
	start(t, a) // the public URL moved: the same commands point at the new one
	moved := f.commandList()
	if len(moved) != len(first) {
		t.Fatalf("after moving: %d commands, want %d", len(moved), len(first))
	}
	for i, c := range moved {
		if c.Id != first[i].Id || c.Token != first[i].Token || c.URL != "https://nieuw.gemeente.nl/bot/mattermost/command" {
			t.Errorf("command /%s not updated in place: %+v", c.Trigger, c)
		}
	}
	if !strings.Contains(logs.String(), fmt.Sprintf("updated=%d", len(a.slashCommands()))) {
		t.Errorf("log does not report the updates:\n%s", logs)
	}
	// The restarted bot knows the tokens it did not create itself.
	for _, c := range first {
		if !a.tokens.valid(c.Token) {
			t.Errorf("token of /%s not known after restart", c.Trigger)
		}
	}
}

func TestCommandsOfOtherIntegrationsAreLeftAlone(t *testing.T) {
	f := newFake(t)
	f.commands = []*model.Command{
		{Id: "other", Token: "othertoken", TeamId: teamID, Trigger: "jira", URL: "https://jira.example/cmd", CreatorId: "someone"},
		{Id: "taken", Token: "takentoken", TeamId: teamID, Trigger: "debat", URL: "https://debat.example/cmd", CreatorId: "someone"},
	}
	logs := &testkit.Buffer{}
	a := newTestAdapter(t, f, Config{Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl"}, logs)
	start(t, a)
	cmds := f.commandList()
	if len(cmds) != len(a.slashCommands())+1 || cmds[0].URL != "https://jira.example/cmd" || cmds[1].URL != "https://debat.example/cmd" {
		t.Errorf("commands: %+v", cmds)
	}
	// The taken trigger is reported; the other commands work.
	if !strings.Contains(logs.String(), "command=/debat") || !strings.Contains(logs.String(), "refused=1") {
		t.Errorf("log:\n%s", logs)
	}
	if a.tokens.valid("takentoken") || a.tokens.valid("othertoken") {
		t.Error("accepts another integration's token")
	}
}

func TestForbiddenRegistrationLogsWhatAnAdminMustDo(t *testing.T) {
	tests := []struct {
		name       string
		teamAdmin  []string // the team admin role's permissions on that server
		permission string   // the permission the instructions must name
	}{
		{"server of 6.7 to 11.1", []string{"manage_slash_commands", "manage_others_slash_commands"}, "permission manage_slash_commands;"},
		{"newer server", []string{"manage_own_slash_commands", "manage_others_slash_commands"}, "permission manage_own_slash_commands;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { testForbiddenRegistration(t, tc.teamAdmin, tc.permission) })
	}
}

func testForbiddenRegistration(t *testing.T, teamAdmin []string, permission string) {
	f := newFake(t)
	f.forbidCommands = true
	f.teamAdminPermissions = teamAdmin
	logs := &testkit.Buffer{}
	a := newTestAdapter(t, f, Config{Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl"}, logs)
	a.listener = listen(t)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	testkit.WaitFor(t, "the instructions", func() bool { return strings.Contains(logs.String(), "Team Admin") })
	for _, want := range []string{"403", permission, "Team Admin", "System Admin", "https://bot.gemeente.nl/mattermost/command", "mattermost.command_tokens", "/waarde", "/vragen", "/debat", "[thema]"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("instructions lack %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs.String(), botToken) {
		t.Error("the log shows the bot token")
	}
	// The listener still runs.
	resp, err := http.Get("http://" + a.listener.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("healthz while unregistered: %v %v", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when cancelled")
	}
}

func TestUnknownTeamIsReportedByName(t *testing.T) {
	f := newFake(t)
	logs := &testkit.Buffer{}
	start(t, newTestAdapter(t, f, Config{Teams: []string{"griffie"}, PublicURL: "https://bot.gemeente.nl"}, logs))
	if !strings.Contains(logs.String(), `team \"griffie\" not found`) || !strings.Contains(logs.String(), "add the bot account to the team") {
		t.Errorf("log:\n%s", logs)
	}
	if len(f.commandList()) != 0 {
		t.Error("commands registered in an unknown team")
	}
}

// listen binds a listener on a free local port for an adapter to serve on,
// so that no other process can take the port between choosing and binding
// it.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// triggers numbers the trigger_ids the tests send: like Mattermost, every
// request gets a new one.
var triggers atomic.Int64

func newTriggerID(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, triggers.Add(1))
}

func commandForm(token, command, text string) url.Values {
	v := url.Values{
		"channel_id": {"chan1"}, "channel_name": {"raad"}, "command": {command}, "team_domain": {"raad"},
		"team_id": {teamID}, "text": {text}, "user_id": {"user1"}, "user_name": {"piet"},
		"response_url": {"http://mm/hooks/commands/x"}, "trigger_id": {newTriggerID("cmd")},
	}
	if token != "" {
		v.Set("token", token)
	}
	return v
}

func postCommand(h http.Handler, form url.Values, auth string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/mattermost/command", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSlashCommandNeedsAnIssuedToken(t *testing.T) {
	f := newFake(t)
	a := newTestAdapter(t, f, Config{Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl", CommandTokens: []string{" byhand-token"}}, nil)
	start(t, a)
	issued := f.commandList()[0].Token
	tests := []struct {
		name      string
		auth      string
		formToken string
		want      int
	}{
		{"token header and field", "Token " + issued, issued, http.StatusOK},
		{"token header only", "Token " + issued, "", http.StatusOK},
		{"token field only", "", issued, http.StatusOK},
		{"wrong token", "Token wrongtoken", "wrongtoken", http.StatusUnauthorized},
		{"wrong header, right field", "Token wrongtoken", issued, http.StatusUnauthorized},
		{"bot token instead of command token", "Token " + botToken, botToken, http.StatusUnauthorized},
		{"missing", "", "", http.StatusUnauthorized},
		{"empty header", "Token ", "", http.StatusUnauthorized},
		{"token of a command created by hand", "Token byhand-token", "byhand-token", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := postCommand(a.Handler(), commandForm(tc.formToken, "/waarde", "privacy"), tc.auth)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

func TestSlashCommandAnswersPublicCardsAndPrivateRefusals(t *testing.T) {
	a := newTestAdapter(t, nil, Config{URL: "http://mm.invalid"}, nil)
	a.tokens.add("cmdtoken")
	tests := []struct {
		name, command, text string
		wantType            string
		wantText            string
	}{
		{"value card", "/waarde", "privacy", model.CommandResponseTypeInChannel, "**Privacy**"},
		{"questions", "/vragen", "beveiliging", model.CommandResponseTypeInChannel, "Beveiliging"},
		{"not found", "/waarde", "xyzzy", model.CommandResponseTypeEphemeral, "xyzzy"},
		{"help", "/help", "", model.CommandResponseTypeEphemeral, "/waarde"},
		{"/waardenbot is the help", "/waardenbot", "", model.CommandResponseTypeEphemeral, "**waardenbot** helpt"},
		{"command not in this core yet", "/debat", "camera", model.CommandResponseTypeEphemeral, "debat"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := postCommand(a.Handler(), commandForm("cmdtoken", tc.command, tc.text), "Token cmdtoken")
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("status %d %s", rec.Code, rec.Header().Get("Content-Type"))
			}
			resp, err := model.CommandResponseFromJSON(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.ResponseType != tc.wantType || !strings.Contains(resp.Text, tc.wantText) || !resp.SkipSlackParsing {
				t.Errorf("got %s %q", resp.ResponseType, resp.Text)
			}
		})
	}
}

func TestLongCommandAnswerContinuesInExtraResponses(t *testing.T) {
	a := newTestAdapter(t, nil, Config{URL: "http://mm.invalid"}, nil)
	a.tokens.add("cmdtoken")
	a.maxRunes = 400
	rec := postCommand(a.Handler(), commandForm("cmdtoken", "/waarde", ""), "Token cmdtoken") // the overview of all values
	var resp model.CommandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.ExtraResponses) == 0 {
		t.Fatalf("a long answer was not split: %d runes", len([]rune(resp.Text)))
	}
	all := []*model.CommandResponse{&resp}
	all = append(all, resp.ExtraResponses...)
	for i, r := range all {
		if n := len([]rune(r.Text)); n > 400 || n == 0 || r.ResponseType != resp.ResponseType {
			t.Errorf("part %d: %d runes, type %s", i, n, r.ResponseType)
		}
	}
	if last := all[len(all)-1].Text; !strings.Contains(last, "Argumentenfabriek") {
		t.Errorf("the last part lacks the citation: %q", last)
	}
}

func TestHealthz(t *testing.T) {
	a := newTestAdapter(t, nil, Config{URL: "http://mm.invalid"}, nil)
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("healthz %d", rec.Code)
	}
}

func TestValidateNamesTheKeyAndHidesSecrets(t *testing.T) {
	good := Config{URL: "https://chat.gemeente.nl", BotToken: "s3cret-token", Listen: "127.0.0.1:8081", Teams: []string{"raad"}, PublicURL: "https://bot.gemeente.nl"}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"valid", func(*Config) {}, ""},
		{"no teams needs no public URL", func(c *Config) { c.Teams, c.PublicURL = nil, "" }, ""},
		{"no url", func(c *Config) { c.URL = "" }, "mattermost.url"},
		{"url without scheme", func(c *Config) { c.URL = "chat.gemeente.nl" }, "mattermost.url"},
		{"no token", func(c *Config) { c.BotToken = " " }, "WAARDENBOT_MATTERMOST_BOT_TOKEN"},
		{"no listener", func(c *Config) { c.Listen = "" }, "mattermost.listen"},
		{"teams without public url", func(c *Config) { c.PublicURL = "" }, "mattermost.public_url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "s3cret"):
				t.Fatalf("error shows the secret: %v", err)
			}
		})
	}
}

func TestRunFailsFastOnConfigAndListenerErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	f := newFake(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{URL: f.URL, BotToken: " "}, "mattermost.bot_token"},
		{"listener address in use", Config{Listen: busy.Addr().String()}, "address already in use"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, f, tc.cfg, nil)
			done := make(chan error, 1)
			go func() { done <- a.Run(context.Background()) }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Run: %v, want an error with %q", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return")
			}
		})
	}
}
