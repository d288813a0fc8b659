package mattermost

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/knowledge"
)

var testKB = knowledge.MustLoad()

const (
	botToken = "bot-token-secret"
	botID    = "botuserid000000000000000000"
	botName  = "waardenbot"
	teamID   = "team1"
)

// fakeMattermost is the part of Mattermost's REST API and WebSocket the
// adapter uses, with the state a real server would keep: teams, custom
// commands with their tokens, posts, and the open WebSocket connection.
type fakeMattermost struct {
	*httptest.Server
	t *testing.T

	mu             sync.Mutex
	forbidCommands bool // the bot may not list or manage commands (403)
	// teamAdminPermissions are the team admin role's permissions.
	teamAdminPermissions []string
	allowEphemeral       bool // the bot may create ephemeral posts
	refuseWebSocket      bool // the server is down for WebSocket connections
	commands             []*model.Command
	posts                []*model.Post
	ephemeral            []*model.PostEphemeral
	ephemeralTries       int
	patches              int  // PatchPost calls
	editLimitPassed      bool // like Mattermost 9.0+ once the post edit time limit passed: a patch that carries a message is refused
	nextID               int
	conn                 *websocket.Conn
	connections          int
	authFailures         int
	wsAuthenticated      chan struct{}     // receives once per authenticated connection
	roles                map[string]string // "channel/user", "team/user", "user" → roles
	roleLookups          int               // role questions the bot asked
	dialogs              []model.OpenDialogRequest
	refuseDialogs        bool // OpenInteractiveDialog fails (an expired trigger ID)
	roster               fakeRoster
	files                fakeFiles // uploads (fake_files_test.go)
}

// lastDialog is the last dialog the bot opened.
func (f *fakeMattermost) lastDialog() (model.OpenDialogRequest, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.dialogs) == 0 {
		return model.OpenDialogRequest{}, false
	}
	return f.dialogs[len(f.dialogs)-1], true
}

// role is what the fake server says about a user's roles at key.
func (f *fakeMattermost) role(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roleLookups++
	return f.roles[key]
}

// setRoles gives user roles at key ("channel/user", "team/user", "user").
func (f *fakeMattermost) setRoles(key, roles string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.roles == nil {
		f.roles = map[string]string{}
	}
	f.roles[key] = roles
}

func (f *fakeMattermost) lookups() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.roleLookups
}

func newFake(t *testing.T) *fakeMattermost {
	f := &fakeMattermost{t: t, wsAuthenticated: make(chan struct{}, 16)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v4/users/me", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, &model.User{Id: botID, Username: botName, IsBot: true})
	}))
	mux.HandleFunc("GET /api/v4/teams/name/{name}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") != "raad" {
			appError(w, http.StatusNotFound, "team not found")
			return
		}
		writeJSON(w, &model.Team{Id: teamID, Name: "raad"})
	}))
	mux.HandleFunc("GET /api/v4/roles/name/{name}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") != model.TeamAdminRoleId {
			appError(w, http.StatusNotFound, "role not found")
			return
		}
		f.mu.Lock()
		perms := f.teamAdminPermissions
		f.mu.Unlock()
		writeJSON(w, &model.Role{Name: model.TeamAdminRoleId, Permissions: perms})
	}))
	mux.HandleFunc("GET /api/v4/channels/{channel}/members/{user}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		roles := f.role(r.PathValue("channel") + "/" + r.PathValue("user"))
		writeJSON(w, &model.ChannelMember{ChannelId: r.PathValue("channel"), UserId: r.PathValue("user"), Roles: "channel_user " + roles})
	}))
	mux.HandleFunc("GET /api/v4/teams/{team}/members/{user}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		roles := f.role(r.PathValue("team") + "/" + r.PathValue("user"))
		writeJSON(w, &model.TeamMember{TeamId: r.PathValue("team"), UserId: r.PathValue("user"), Roles: "team_user " + roles, SchemeAdmin: strings.Contains(roles, "team_admin")})
	}))
	mux.HandleFunc("GET /api/v4/users/{user}", f.authed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, &model.User{Id: r.PathValue("user"), Username: r.PathValue("user"), Roles: "system_user " + f.role(r.PathValue("user"))})
	}))
	mux.HandleFunc("POST /api/v4/actions/dialogs/open", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var d model.OpenDialogRequest
		json.NewDecoder(r.Body).Decode(&d)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.refuseDialogs || d.TriggerId == "" || d.URL == "" {
			appError(w, http.StatusBadRequest, "Trigger ID for interactive dialog is expired.")
			return
		}
		f.dialogs = append(f.dialogs, d)
		writeJSON(w, map[string]string{"status": "OK"})
	}))
	mux.HandleFunc("GET /api/v4/commands", f.authed(f.listCommands))
	mux.HandleFunc("POST /api/v4/commands", f.authed(f.createCommand))
	mux.HandleFunc("PUT /api/v4/commands/{id}", f.authed(f.updateCommand))
	mux.HandleFunc("POST /api/v4/posts", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var p model.Post
		json.NewDecoder(r.Body).Decode(&p)
		f.mu.Lock()
		p.Id = f.id()
		p.UserId = botID
		f.posts = append(f.posts, &p)
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, &p)
	}))
	mux.HandleFunc("PUT /api/v4/posts/{id}/patch", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var patch model.PostPatch
		json.NewDecoder(r.Body).Decode(&patch)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.patches++
		if f.editLimitPassed && patch.Message != nil {
			appError(w, http.StatusBadRequest, "Post edit is only allowed for 1 seconds. Please ask your System Administrator for details.")
			return
		}
		for _, p := range f.posts {
			if p.Id == r.PathValue("id") {
				if patch.Message != nil {
					p.Message = *patch.Message
				}
				if patch.Props != nil { // a patch replaces the whole props map
					p.SetProps(*patch.Props)
				}
				writeJSON(w, p)
				return
			}
		}
		appError(w, http.StatusNotFound, "no such post")
	}))
	mux.HandleFunc("POST /api/v4/posts/ephemeral", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var p model.PostEphemeral
		json.NewDecoder(r.Body).Decode(&p)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.ephemeralTries++
		if !f.allowEphemeral {
			appError(w, http.StatusForbidden, "You do not have the appropriate permissions.")
			return
		}
		f.ephemeral = append(f.ephemeral, &p)
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, p.Post)
	}))
	mux.HandleFunc("POST /api/v4/channels/direct", f.authed(func(w http.ResponseWriter, r *http.Request) {
		var ids []string
		json.NewDecoder(r.Body).Decode(&ids)
		if len(ids) != 2 || ids[0] != botID {
			appError(w, http.StatusBadRequest, "bad user ids")
			return
		}
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, &model.Channel{Id: "dm-" + ids[1], Type: model.ChannelTypeDirect})
	}))
	mux.HandleFunc("GET /api/v4/websocket", f.websocket)
	f.rosterRoutes(mux)
	f.serveFiles(mux)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeMattermost) id() string {
	f.nextID++
	return fmt.Sprintf("id%024d", f.nextID)
}

// authed refuses requests without the bot token. The adapter sends the scheme
// as Bearer (Mattermost's own client as BEARER); Mattermost reads it in any case.
func (f *fakeMattermost) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "bearer") || tok != botToken {
			appError(w, http.StatusUnauthorized, "invalid session")
			return
		}
		h(w, r)
	}
}

func appError(w http.ResponseWriter, code int, msg string) {
	w.WriteHeader(code)
	writeJSON(w, model.NewAppError("fake", "fake.error", nil, msg, code))
}

func (f *fakeMattermost) listCommands(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.forbidCommands {
		appError(w, http.StatusForbidden, "You do not have the appropriate permissions.")
		return
	}
	if r.URL.Query().Get("custom_only") != "true" {
		f.t.Errorf("ListCommands without custom_only: %s", r.URL)
	}
	out := []*model.Command{}
	for _, c := range f.commands {
		if c.TeamId == r.URL.Query().Get("team_id") {
			cp := *c
			out = append(out, &cp)
		}
	}
	writeJSON(w, out)
}

func (f *fakeMattermost) createCommand(w http.ResponseWriter, r *http.Request) {
	var c model.Command
	json.NewDecoder(r.Body).Decode(&c)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.forbidCommands {
		appError(w, http.StatusForbidden, "You do not have the appropriate permissions.")
		return
	}
	if c.Trigger == "help" { // built into Mattermost
		appError(w, http.StatusBadRequest, "This trigger word is already in use. Please choose another word.")
		return
	}
	for _, have := range f.commands {
		if have.TeamId == c.TeamId && have.Trigger == c.Trigger {
			appError(w, http.StatusBadRequest, "This trigger word is already in use.")
			return
		}
	}
	c.Id, c.Token, c.CreatorId = f.id(), "tok-"+c.Trigger+"-"+f.id(), botID
	f.commands = append(f.commands, &c)
	w.WriteHeader(http.StatusCreated)
	writeJSON(w, &c)
}

func (f *fakeMattermost) updateCommand(w http.ResponseWriter, r *http.Request) {
	var c model.Command
	json.NewDecoder(r.Body).Decode(&c)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, have := range f.commands {
		if have.Id == r.PathValue("id") && have.Id == c.Id {
			if c.TeamId != have.TeamId { // as Mattermost checks it
				appError(w, http.StatusBadRequest, "Team ID doesn't match.")
				return
			}
			c.Token, c.CreatorId = have.Token, have.CreatorId // the server keeps these
			f.commands[i] = &c
			writeJSON(w, &c)
			return
		}
	}
	appError(w, http.StatusNotFound, "no such command")
}

func (f *fakeMattermost) commandList() []*model.Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*model.Command
	for _, c := range f.commands {
		cp := *c
		out = append(out, &cp)
	}
	return out
}

func (f *fakeMattermost) postsIn(channel string) []*model.Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*model.Post
	for _, p := range f.posts {
		if p.ChannelId == channel {
			out = append(out, p.Clone())
		}
	}
	return out
}

// websocket accepts a connection like Mattermost: the client's first
// message is an authentication challenge with the token; the server answers
// it, then says hello.
func (f *fakeMattermost) websocket(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	down := f.refuseWebSocket
	f.mu.Unlock()
	if down {
		http.Error(w, "502 Bad Gateway", http.StatusBadGateway)
		return
	}
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	var challenge model.WebSocketRequest
	if err := conn.ReadJSON(&challenge); err != nil || challenge.Action != string(model.WebsocketAuthenticationChallenge) || challenge.Data["token"] != botToken {
		f.mu.Lock()
		f.authFailures++
		f.mu.Unlock()
		conn.Close()
		return
	}
	f.mu.Lock()
	conn.WriteJSON(map[string]any{"status": "OK", "seq_reply": challenge.Seq})
	conn.WriteJSON(map[string]any{"event": "hello", "data": map[string]any{"server_version": "6.7.2"}, "broadcast": map[string]any{"user_id": botID}, "seq": 0})
	f.conn = conn
	f.connections++
	f.mu.Unlock()
	f.wsAuthenticated <- struct{}{}
	for { // read until the connection ends, as a server does
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

// send pushes a posted event for p over the open connection.
func (f *fakeMattermost) send(p *model.Post, channelType model.ChannelType, mentions ...string) {
	f.t.Helper()
	raw, _ := json.Marshal(p)
	data := map[string]any{"post": string(raw), "channel_type": string(channelType), "sender_name": "@piet", "team_id": teamID}
	if len(mentions) > 0 {
		m, _ := json.Marshal(mentions)
		data["mentions"] = string(m)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn == nil {
		f.t.Fatal("no WebSocket connection")
	}
	if err := f.conn.WriteJSON(map[string]any{"event": "posted", "data": data, "broadcast": map[string]any{"channel_id": p.ChannelId}, "seq": 1}); err != nil {
		f.t.Fatalf("send event: %v", err)
	}
}

// drop cuts the open connection without a close handshake, as a crashing
// or restarting server does.
func (f *fakeMattermost) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conn.NetConn().Close()
	f.conn = nil
}

func newTestAdapter(t *testing.T, f *fakeMattermost, cfg Config, logs io.Writer) *Adapter {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.URL == "" && f != nil {
		cfg.URL = f.URL
	}
	if cfg.BotToken == "" {
		cfg.BotToken = botToken
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	a := New(cfg, bot.New(testKB, bot.Config{}, log), log)
	a.minBackoff, a.maxBackoff = 10*time.Millisecond, 50*time.Millisecond
	return a
}
