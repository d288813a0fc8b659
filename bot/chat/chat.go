// Package chat holds the few words that every part of waardenbot's core
// shares about the chat it lives in: where a message goes. It imports
// nothing, so the poll and schedule packages and the bot can all use it.
package chat

// Destination is where a message goes without a request: a channel on a
// platform. Its field names are part of the data file's format (polls and
// schedules store it as JSON without tags): do not rename them.
type Destination struct {
	Platform string // "console", "slack", "mattermost"
	Team     string // workspace or team ID, if the platform has them
	Channel  string // channel ID
}
