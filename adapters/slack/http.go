package slack

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/waardenbot/waardenbot/adapters/internal/httpserve"
	"github.com/waardenbot/waardenbot/adapters/internal/replay"
	"github.com/waardenbot/waardenbot/bot"
)

// fixPost is what the log says when a message did not reach Slack.
const fixPost = "invite the bot to the channel (/invite @waardenbot), check that it has the scope chat:write (waardenbot check) and this machine's connection to Slack"

// Handler serves Slack's HTTP endpoints: POST /slack/commands (slash
// commands), POST /slack/events (Events API), POST /slack/interactions
// (button clicks) and GET /healthz. Every POST must carry a valid, fresh
// signature; anything else gets 401 and changes nothing.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if ok, why := a.seen.Healthy(r.Context()); !ok {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("POST /slack/commands", a.signed(a.serveCommand))
	mux.Handle("POST /slack/events", a.signed(withForm(a.serveEvent)))
	mux.Handle("POST /slack/interactions", a.signed(withForm(a.serveInteraction)))
	return mux
}

// signed reads the body, checks its signature and passes the body on, once:
// a signature that was seen before is a repeat, and gets an empty 200
// without doing the work again. Slack itself never sends one signed
// request twice (a retried event is signed anew), so a repeat is a
// capture sent again within the five minutes a signature is valid, or a
// proxy that resent a request whose answer it lost. Both are best served
// by what a first request's acknowledgement looks like: the work was done
// (or is being done) once, and an error status would only make Slack
// retry an event or show the user a failure. When the guard cannot tell
// (it is full), the request gets 503 and is not done.
//
// The body is read into a buffer that the next request reuses: next must
// not keep it, or anything that shares its memory, once it returns.
func (a *Adapter) signed(next func(http.ResponseWriter, *http.Request, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := a.bodies.get()
		defer a.bodies.put(buf)
		body, err := readBody(r, (*buf)[:0])
		*buf = body
		if err != nil {
			w.Header().Set("Connection", "close") // the rest of the body is not read
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		key, expires, err := a.verify.verify(r.Header, body)
		if err != nil {
			a.log.Warn("refused an unverified request", "path", r.URL.Path, "reason", err, "remote", r.RemoteAddr)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		switch first, err := a.seen.First(r.Context(), key, a.now(), expires); {
		case err != nil:
			a.log.Error("refused a signed request: cannot tell whether it is a repeat", "path", r.URL.Path, "error", err, "fix", replay.Fix(err))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		case !first:
			a.log.Warn("a signed request came again; answered without doing it again", "path", r.URL.Path, "remote", r.RemoteAddr)
			w.WriteHeader(http.StatusOK)
			return
		}
		next(w, r, body)
	})
}

// withForm parses a form body before next, once, from the verified bytes:
// slack-go's parsers then find the form filled in and do not read the
// body again (and never take values from the query string). A form that
// does not parse gets 400.
func withForm(next func(http.ResponseWriter, *http.Request, []byte)) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		if parseForm(w, r, body) {
			next(w, r, body)
		}
	}
}

// parseForm is withForm's parse: it reports false when it answered 400.
func parseForm(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), formType) {
		return true
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return false
	}
	r.PostForm, r.Form = form, form
	return true
}

// serveCommand answers a slash command in the HTTP response when the bot
// answers within inlineWait (lookups take microseconds). Slower work is
// acknowledged at once and its answer follows through response_url. A new
// poll, quick or slow, becomes the bot's own message instead (see
// bot.AfterReply), and the response says nothing.
//
// A command whose answer the bot calls cacheable is answered the first
// time as any other, and its encoded response is kept (a.kept) by the
// command and text as the form carries them (quickKey): when they come
// again, that response is written as it is, without parsing the form,
// asking the bot, rendering or encoding.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	var space [256]byte
	key, quick := quickKey(space[:0], r, body)
	if quick {
		if ans, ok := a.kept.Get(key); ok {
			ans.write(w)
			return
		}
	}
	if !parseForm(w, r, body) {
		return
	}
	// Slack checks the certificate of a command URL with a POST that
	// carries ssl_check=1 and a token but no command; it wants an empty
	// 200 and nothing else.
	if r.PostForm.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if a.bot.Instant(strings.TrimPrefix(cmd.Command, "/")) {
		reply := a.handleCommand(r.Context(), cmd)
		if ans := a.respond(r.Context(), w, cmd, reply); ans != nil && quick && a.keeps(cmd, reply) {
			a.kept.Put(key, ans, ans.size())
		}
		return
	}
	// The answer may outlive the request: it gets its own context.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	done := make(chan bot.Reply, 1)
	a.work.Go(func() { done <- a.handleCommand(ctx, cmd) })
	if reply, ok := a.waitInline(done); ok {
		defer cancel()
		a.respond(ctx, w, cmd, reply)
		return
	}
	w.WriteHeader(http.StatusOK) // empty 200: Slack shows nothing until the follow-up
	a.work.Go(func() {
		defer cancel()
		a.late(ctx, cmd, <-done)
	})
}

// respond answers a slash command in the HTTP response: nothing when the
// reply became a message of its own (a new poll) or opened a form, else
// the reply, whose files follow once the response is written. It returns
// the response it wrote, or nil for nothing.
func (a *Adapter) respond(ctx context.Context, w http.ResponseWriter, cmd slack.SlashCommand, reply bot.Reply) *answer {
	if a.formOpened(ctx, cmd, reply) || a.bot.AfterReply(ctx, reply, a.polls) {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	ans := encodeAnswer(a.commandResponse(reply))
	ans.write(w)
	a.shareFilesLater(ctx, cmd.ChannelID, "", cmd.UserID, reply)
	return ans
}

// formOpened opens the reply's form, if it has one, with the command's
// trigger_id, and reports whether it did. When it cannot (the trigger_id
// expired), the reply's text says how to type the command instead.
func (a *Adapter) formOpened(ctx context.Context, cmd slack.SlashCommand, reply bot.Reply) bool {
	if reply.Form == nil || cmd.TriggerID == "" {
		return false
	}
	if err := a.openForm(ctx, cmd.TriggerID, cmd.TeamID, cmd.ChannelID, reply.Form); err != nil {
		a.log.Warn("form not opened; the command's usage is shown instead", "command", cmd.Command, "error", err)
		return false
	}
	return true
}

// late delivers a slash command's answer that came after the command was
// acknowledged: a new poll as the bot's own message, anything else
// through response_url, and then its files.
func (a *Adapter) late(ctx context.Context, cmd slack.SlashCommand, reply bot.Reply) {
	if a.bot.AfterReply(ctx, reply, a.polls) {
		return
	}
	a.followUp(ctx, cmd, reply)
	a.shareFiles(ctx, cmd.ChannelID, "", cmd.UserID, reply)
}

// waitInline waits up to inlineWait for an answer that can go in the
// response itself. With inlineWait zero every answer follows up.
func (a *Adapter) waitInline(done <-chan bot.Reply) (bot.Reply, bool) {
	if a.inlineWait <= 0 {
		return bot.Reply{}, false
	}
	t := time.NewTimer(a.inlineWait)
	defer t.Stop()
	select {
	case reply := <-done:
		return reply, true
	case <-t.C:
		return bot.Reply{}, false
	}
}

// response is the JSON body of a slash command response or acknowledgement:
// only the fields Slack documents for it.
type response struct {
	ResponseType    string        `json:"response_type"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// commandResponse is a reply as the body of a slash command response.
func (a *Adapter) commandResponse(r bot.Reply) response {
	m := a.withPoll(r)
	return response{ResponseType: responseType(r), Text: m.Text, Blocks: m.Blocks}
}

// serveInteraction acknowledges a button click at once and handles it
// after the response; a form's submission is answered in the response
// (its errors, or nothing, which closes the form). The payload is read
// from the signed body only.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(r.PostForm.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	if cb.Type == slack.InteractionTypeViewSubmission {
		if resp := a.onSubmission(ctx, cb); resp != nil {
			writeJSON(w, resp)
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.work.Go(func() { a.onInteraction(ctx, cb) })
}

// followUp posts an answer to a slash command's response_url, and logs
// when that fails.
func (a *Adapter) followUp(ctx context.Context, cmd slack.SlashCommand, r bot.Reply) {
	m := a.withPoll(r)
	err := slack.PostWebhookContext(ctx, cmd.ResponseURL, &slack.WebhookMessage{
		ResponseType: responseType(r), Text: m.Text, Blocks: &slack.Blocks{BlockSet: m.Blocks},
	})
	if err != nil {
		a.log.Error("late answer not delivered", "command", cmd.Command, "error", err, "fix", fixPost)
	}
}

// serveEvent answers the url_verification challenge and acknowledges every
// other event at once; the work happens after the response, because Slack
// retries events not acknowledged within 3 seconds.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, id, err := parseEvent(body)
	if err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if ev.Type == slackevents.URLVerification {
		var ch slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &ch); err != nil {
			http.Error(w, "bad challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(ch.Challenge))
		return
	}
	if ev.Type != slackevents.CallbackEvent {
		w.WriteHeader(http.StatusOK)
		return
	}
	switch first, err := a.firstEvent(r.Context(), id); {
	case err != nil:
		a.log.Error("refused an event: cannot tell whether it is a repeat; Slack retries it", "event_id", id, "error", err, "fix", replay.Fix(err))
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	case !first:
		a.log.Debug("duplicate event ignored", "event_id", id)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusOK)
	ctx := context.WithoutCancel(r.Context())
	a.work.Go(func() { a.handleEvent(ctx, ev) })
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// serveHTTP runs the HTTP listener until ctx is cancelled, then shuts it
// down gracefully.
func (a *Adapter) serveHTTP(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return err
	}
	a.log.Info("Slack HTTP mode listening", "addr", ln.Addr().String())
	return httpserve.Serve(ctx, ln, a.Handler())
}
