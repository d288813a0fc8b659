// Package mattermost is waardenbot's Mattermost adapter, built on the model
// package of github.com/mattermost/mattermost/server/public (Client4 and the
// WebSocket client). It registers the bot's slash commands in the configured
// teams and answers them on its own HTTP listener, answers mentions and
// direct messages that arrive over the WebSocket, and posts the bot's
// replies as Mattermost posts. Polls are posts with a message attachment
// that has a button per option; clicks arrive at POST /mattermost/action
// with a context the bot signed (HMAC-SHA256 with a key derived from the
// installation's secret, see bot.Key) and update the post in place.
//
// Its end-to-end test runs against a real Mattermost server:
//
//	go test -tags e2e -run E2E ./adapters/mattermost
//
// What needs which right on the Mattermost server:
//   - A bot account with a personal access token (mattermost.bot_token) that
//     is a member of the teams and channels it serves.
//   - Registering slash commands needs manage_own_slash_commands
//     (manage_slash_commands before Mattermost 9), which team admins and
//     system admins hold. Without it the bot logs what an admin must do and
//     the commands to create by hand; mentions and direct messages work.
//   - Ephemeral posts (replies only the asker sees) need the system admin
//     role. Without it an ephemeral answer to a mention goes to the asker as
//     a direct message instead; slash commands answer ephemerally in their
//     response, which needs no right.
package mattermost
