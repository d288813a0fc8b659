// Package mattermost is waardenbot's Mattermost adapter. It speaks
// Mattermost's REST API with a small client of its own (rest.go) and listens
// with the WebSocket client of the model package of
// github.com/mattermost/mattermost/server/public. It registers the bot's
// slash commands in the configured teams and answers them on its own HTTP
// listener, answers mentions and direct messages that arrive over the
// WebSocket, and posts the bot's replies as Mattermost posts. Polls are
// posts with a message attachment that has a button per option; clicks
// arrive at POST /mattermost/action with a context the bot signed
// (HMAC-SHA256 with a key derived from the installation's secret, see
// bot.Key) and update the post in place.
//
// It owns its configuration (Config, the [mattermost] section). Use it as
// any bot.Adapter:
//
//	a := mattermost.New(cfg, b, log)
//	err := a.Run(ctx) // serves until ctx ends, then waits for the answers under way
//
// Check (for `waardenbot check`) asks the server, changing nothing, whether
// the configuration will work: the token is a bot account's, the teams
// exist with the bot as a member, the bot may manage slash commands there,
// and the server reaches public_url (it posts a probe there, as it posts a
// button click, to POST /mattermost/check, which the handler answers).
//
// The slash commands it registers are the bot's (bot.Commands), with their
// hints and descriptions in the bot's language. Mattermost's own /help
// cannot be replaced, so a command named like one of Mattermost's is
// registered under its first alias: the bot's help is /waardenbot.
//
// Supported servers: Mattermost 6.7 and later. Its end-to-end test runs
// against two real servers, the oldest supported (6.7.2, 2022) and a current
// one (an 11.1 development build of October 2025), built from their Go
// modules:
//
//	go test -tags e2e -run E2E ./adapters/mattermost
//
// What needs which right on the Mattermost server:
//   - A bot account with a personal access token (mattermost.bot_token) that
//     is a member of the teams and channels it serves.
//   - Registering slash commands needs the permission to manage slash
//     commands, which team admins and system admins hold. It is called
//     manage_slash_commands on 6.7 to 11.1; newer servers (from about 11.4)
//     call it manage_own_slash_commands. Without it the bot asks the server
//     for the team admin role, logs what an admin must do naming the
//     permission as this server calls it, and lists the commands to create
//     by hand; mentions and direct messages work.
//   - Files (a poll's chart, CSV, paragraph) are uploaded into the channel
//     and attached to the bot's post, which needs the upload_file
//     permission that channel members have by default, and file
//     attachments enabled (FileSettings.EnableFileAttachments, the
//     default); a file larger than FileSettings.MaxFileSize is refused
//     (413) and the asker is told. Private files go to the asker's direct
//     channel with the bot.
//   - Ephemeral posts (replies only the asker sees) need the system admin
//     role. Without it an ephemeral answer to a mention goes to the asker as
//     a direct message instead; slash commands answer ephemerally in their
//     response, which needs no right. The same holds for the reminders of
//     polls, which go as ephemeral posts only to people who are connected.
//   - A channel's member count without bots (a poll's participation) needs
//     the system console's permission to read users, which the system admin
//     role has; without it the bot counts the channel's members less
//     itself, other bots included (see MemberCount).
//
// What differs between the servers, and what was checked on both:
//   - Post edit time limit: once it has passed, 6.7 refuses a patch that
//     changes a post's message, 9.0 and later one that carries a message at
//     all. The bot keeps a poll post's message fixed and patches only its
//     props (the attachment with the counts and buttons), which both accept.
//     Click answers update the post through the action response, which no
//     limit affects.
//   - A current server refuses to take the system admin role from a bot
//     while only one human system admin exists ("Cannot demote last System
//     Admin"); the bot never needs that, and the test never does it.
//   - The same on both: slash command registration, update and tokens
//     (Authorization: Token), interactive dialogs (open_dialog over the
//     WebSocket, errors shown in the dialog, per field too; a multi-select
//     shows as a single select on 6.7, whose client ignores "multiselect"),
//     member counts (GET /users/stats/filtered, /channels/{id}/stats),
//     user statuses, message attachments with
//     button actions (IDs of letters and digits), ephemeral posts for a
//     system admin bot, WebSocket authentication with the token and
//     reconnection after a server kill (the client does not reconnect by
//     itself: see listenWebSocket), replies in threads (RootId), and the
//     post size limit of 16383 runes (model.PostMessageMaxRunesV2).
package mattermost
