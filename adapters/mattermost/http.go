package mattermost

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/adapters/internal/httpserve"
	"github.com/waardenbot/waardenbot/bot"
)

// maxBody is the largest request body the listener reads; a slash command
// request is a small form.
const maxBody = 64 << 10

// Handler serves POST /mattermost/command (slash commands), POST
// /mattermost/action (poll buttons), POST /mattermost/dialog (the close
// dialog), POST /mattermost/check (Check's probe) and GET /healthz (503 while
// the WebSocket has been down for a minute or more, or while the database
// that instances share does not answer). A slash command
// request must carry a token Mattermost issued for one of the bot's
// commands; anything else gets 401. A button click must carry a context the
// bot signed (see serveAction).
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if ok, why := a.link.Healthy(); !ok {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		if ok, why := a.seen.Healthy(r.Context()); !ok {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("POST "+commandPath, a.serveCommand)
	mux.HandleFunc("POST "+actionPath, a.serveAction)
	mux.HandleFunc("POST "+dialogPath, a.serveDialog)
	mux.HandleFunc("POST "+probePath, serveProbe)
	return mux
}

// serveCommand answers a slash command in the response, which Mattermost
// posts in the channel (in_channel) or shows only to the user (ephemeral).
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if !a.tokens.valid(commandToken(r)) {
		a.log.Warn("refused a slash command request without a valid token", "remote", r.RemoteAddr, "command", r.PostForm.Get("command"))
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	f := r.PostForm
	switch first, err := a.firstRequest(r.Context(), "command", f.Get("trigger_id")); {
	case err != nil:
		http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		return
	case !first:
		a.log.Info("slash command request received again; not done twice", "command", f.Get("command"), "user", f.Get("user_id"))
		writeJSON(w, &commandResponse{ResponseType: model.CommandResponseTypeEphemeral})
		return
	}
	req := bot.Request{
		Platform: Platform,
		Team:     f.Get("team_id"),
		Channel:  f.Get("channel_id"),
		User:     f.Get("user_id"),
		UserName: f.Get("user_name"),
		Command:  f.Get("command"), // the bot reads "/waardenbot" as its help
		Args:     f.Get("text"),
	}
	req.Admin = a.admins.Check(req.Team, req.Channel, req.User)
	// Mattermost waits 30 seconds for the response.
	ctx, cancel := context.WithTimeout(r.Context(), 25*time.Second)
	defer cancel()
	reply := a.bot.Handle(ctx, req)
	if reply.Form != nil && f.Get("trigger_id") != "" {
		err := a.openForm(ctx, f.Get("trigger_id"), req.Team, req.Channel, reply.Form)
		if err == nil {
			writeJSON(w, &commandResponse{ResponseType: model.CommandResponseTypeEphemeral})
			return
		}
		a.log.Warn("form dialog not opened; the command's usage is shown instead", "command", req.Command, "error", err)
	}
	if a.bot.AfterReply(ctx, reply, a.polls) {
		// The poll is the bot's own post; the command itself shows
		// nothing more (an empty ephemeral response posts nothing).
		writeJSON(w, &commandResponse{ResponseType: model.CommandResponseTypeEphemeral})
		return
	}
	if len(reply.Files) > 0 {
		writeJSON(w, a.withFiles(ctx, req, reply))
		return
	}
	writeJSON(w, a.commandResponse(reply))
}

// withFiles answers a slash command whose reply carries files. A command
// response cannot carry files, so the bot posts the text with the files
// attached itself (to the asker's direct channel when the reply is
// private) and the response says only what the asker must hear: nothing,
// where the files are, or which did not go out. When the bot cannot post
// the text, the response carries it, so that the text is never lost.
func (a *Adapter) withFiles(ctx context.Context, req bot.Request, reply bot.Reply) *commandResponse {
	note, err := a.postReply(ctx, req.Channel, "", req.User, reply)
	switch {
	case err != nil:
		a.log.Error("reply with files not posted; the command response carries its text", "channel", req.Channel, "error", err, "fix", "check that the bot is a member of the channel and may post there")
		if note == "" {
			note = a.bot.T("files.failed", fileNames(reply.Files), "Mattermost")
		}
		resp := a.commandResponse(reply)
		resp.ExtraResponses = append(resp.ExtraResponses, &commandResponse{
			ResponseType: model.CommandResponseTypeEphemeral, Text: render(note), SkipSlackParsing: true})
		return resp
	case reply.Ephemeral:
		return a.commandResponse(bot.Reply{Text: reply.Text + "\n\n" + note, Ephemeral: true})
	}
	return &commandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: render(note), SkipSlackParsing: true}
}

// commandToken is the token of a slash command request: Mattermost sends it
// as "Authorization: Token …" and as the token form field.
func commandToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, t, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Token") {
			return strings.TrimSpace(t)
		}
	}
	return r.PostForm.Get("token")
}

// commandResponse is a reply as a slash command response. A reply longer
// than one post continues in extra responses of the same type.
func (a *Adapter) commandResponse(r bot.Reply) *commandResponse {
	typ := model.CommandResponseTypeInChannel
	if r.Ephemeral {
		typ = model.CommandResponseTypeEphemeral
	}
	parts := split(render(r.Text), a.maxRunes)
	resp := &commandResponse{ResponseType: typ, Text: parts[0], SkipSlackParsing: true}
	for _, p := range parts[1:] {
		resp.ExtraResponses = append(resp.ExtraResponses, &commandResponse{ResponseType: typ, Text: p, SkipSlackParsing: true})
	}
	return resp
}

// commandResponse answers a slash command: in the channel or to the
// user alone (model.CommandResponseTypeInChannel, …Ephemeral), with more
// posts after the first when the text is long.
type commandResponse struct {
	ResponseType     string             `json:"response_type"`
	Text             string             `json:"text"`
	SkipSlackParsing bool               `json:"skip_slack_parsing,omitempty"`
	ExtraResponses   []*commandResponse `json:"extra_responses,omitempty"`
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// serveHTTP serves on ln until ctx is cancelled, then shuts down
// gracefully.
func (a *Adapter) serveHTTP(ctx context.Context, ln net.Listener) error {
	a.log.Info("Mattermost slash command listener", "addr", ln.Addr().String(), "url", a.commandURL())
	return httpserve.Serve(ctx, ln, a.Handler())
}
