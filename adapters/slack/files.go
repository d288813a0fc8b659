package slack

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// Files (a chart, a CSV, a document) come with a reply as data
// (bot.Reply.Files); the adapter only uploads them, after the reply's
// text, with Slack's three steps that slack-go's UploadFile takes:
// files.getUploadURLExternal, a POST of the bytes to the URL it gives,
// and files.completeUploadExternal, which shares the file in the channel
// (in the thread, if any). files.upload was retired in 2025. The app
// needs the files:write scope (the manifest has it).
//
// A public reply's files go where the reply went. A private reply's files
// go to the asker's direct messages with the bot (conversations.open,
// scope im:write), since an ephemeral message cannot carry a file, and
// the asker is told so where they asked.
//
// An upload that fails for a reason that may pass (429 with Slack's
// Retry-After; a 5xx or no connection, with a doubling wait) is tried
// again, up to uploadAttempts times in all. One that cannot pass (413,
// too large; an API error such as not_in_channel) is not. Either way the
// text has gone out already, and the asker is told which file did not
// (an ephemeral message), or, without an asker (a result at its
// deadline), the log.

// uploadAttempts is how many times a file is tried.
const uploadAttempts = 4

// maxUploadWait caps a wait between attempts, Retry-After included.
const maxUploadWait = 30 * time.Second

// filesTimeout bounds the uploads of one reply, waits included.
const filesTimeout = 2 * time.Minute

// shareFilesLater uploads r's files in the background, after its text
// went out (see shareFiles); Run waits for it.
func (a *Adapter) shareFilesLater(ctx context.Context, channel, thread, user string, r bot.Reply) {
	if len(r.Files) == 0 {
		return
	}
	a.work.Go(func() { a.shareFiles(context.WithoutCancel(ctx), channel, thread, user, r) })
}

// shareFiles uploads r's files: to channel (in thread) when r is public,
// to user's direct messages when it is private. A file that fails is
// reported to user in channel, or logged when there is no user.
func (a *Adapter) shareFiles(ctx context.Context, channel, thread, user string, r bot.Reply) {
	if len(r.Files) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, filesTimeout)
	defer cancel()
	to := channel
	if r.Ephemeral {
		dm, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
		if err != nil {
			a.log.Error("files not sent: no direct message channel with the asker", "user", user, "error", err, "fix", "grant the im:write scope (waardenbot check names what is missing) and reinstall the app")
			a.tellFailed(ctx, channel, user, r.Files, "files.failed")
			return
		}
		to, thread = dm.ID, ""
	}
	var failed []bot.File
	key := "files.failed"
	for _, f := range r.Files {
		err := a.upload(ctx, to, thread, f)
		if err == nil {
			continue
		}
		a.log.Error("file not shared; the reply's text went out without it", "file", f.Name, "channel", to, "error", err, "fix", "grant the files:write scope (waardenbot check names what is missing) and check that the bot is in the channel")
		failed = append(failed, f)
		var sc slack.StatusCodeError
		if errors.As(err, &sc) && sc.Code == http.StatusRequestEntityTooLarge {
			key = "files.too_large"
		}
	}
	switch {
	case len(failed) > 0:
		a.tellFailed(ctx, channel, user, failed, key)
	case r.Ephemeral:
		if err := a.send(ctx, channel, user, "", bot.Reply{Text: a.bot.T("files.private"), Ephemeral: true}); err != nil {
			a.log.Warn("the asker was not told where the file is", "user", user, "error", err)
		}
	}
}

// tellFailed tells user, only them, which files did not go out.
func (a *Adapter) tellFailed(ctx context.Context, channel, user string, files []bot.File, key string) {
	if user == "" {
		return // a post nobody asked for: the log has it
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = "`" + f.Name + "`"
	}
	text := a.bot.T(key, strings.Join(names, ", "), "Slack")
	if err := a.send(ctx, channel, user, "", bot.Reply{Text: text, Ephemeral: true}); err != nil {
		a.log.Error("the asker was not told that a file failed", "user", user, "error", err, "fix", "check that the bot is in the channel and Slack answers; the lines before this one say more")
	}
}

// upload shares one file in channel (in thread, if any), trying again
// while the failure may pass.
func (a *Adapter) upload(ctx context.Context, channel, thread string, f bot.File) error {
	for attempt := 1; ; attempt++ {
		_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(f.Data), FileSize: len(f.Data), Filename: f.Name, Title: f.Title,
			AltTxt: f.Alt, Channel: channel, ThreadTimestamp: thread,
		})
		if err == nil {
			return nil
		}
		wait, again := a.uploadWait(err, attempt)
		if !again || attempt >= uploadAttempts {
			return err
		}
		a.log.Warn("file upload failed; trying again", "file", f.Name, "attempt", attempt, "wait", wait, "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// uploadWait says whether an upload that failed with err may succeed when
// tried again, and how long to wait first: Slack's Retry-After for 429,
// else a wait that doubles with each attempt from a.retryWait.
func (a *Adapter) uploadWait(err error, attempt int) (time.Duration, bool) {
	backoff := min(a.retryWait<<(attempt-1), maxUploadWait)
	var limited *slack.RateLimitedError
	var sc slack.StatusCodeError
	var ne net.Error
	switch {
	case errors.As(err, &limited):
		return min(max(limited.RetryAfter, a.retryWait), maxUploadWait), true
	case errors.As(err, &sc):
		return backoff, sc.Retryable()
	case errors.As(err, &ne):
		return backoff, true
	}
	return 0, false
}
