// Package slack is waardenbot's Slack adapter, built on
// github.com/slack-go/slack. It translates slash commands, mentions, direct
// messages and button clicks into bot requests, and the bot's replies into
// Slack messages, in Socket Mode (no public URL) or over signed HTTP.
//
// It owns its configuration (Config, the [slack] section) and the app
// manifest: Manifest writes it from the bot's commands (bot.Commands), and
// manifest.yaml is its Dutch output. The manifest's scopes (Scopes) are
// what Check, for `waardenbot check`, finds a bot token must have (Slack
// lists a token's scopes in auth.test's X-OAuth-Scopes header). Use it as
// any bot.Adapter:
//
//	a := slack.New(cfg, b, log)
//	err := a.Run(ctx) // serves until ctx ends, then waits for the answers under way
//
// Slack wants an answer within 3 seconds: commands the bot answers from
// memory (bot.Instant) go in the response itself, slower ones follow
// through response_url. A new poll becomes the bot's own message and is
// redrawn with chat.update as votes come in, at most once per 300 ms per
// message (bot.AfterReply, updater). Files a reply carries (a poll's chart,
// CSV, paragraph) go up after its text with files.getUploadURLExternal and
// files.completeUploadExternal (scope files:write), private ones to the
// asker's direct messages (see files.go).
package slack
