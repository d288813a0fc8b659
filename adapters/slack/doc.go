// Package slack is waardenbot's Slack adapter, built on
// github.com/slack-go/slack. It translates slash commands, mentions, direct
// messages and button clicks into bot requests, and the bot's replies into
// Slack messages.
package slack
