// Package bot is waardenbot's platform-neutral core: it turns a Request (a
// command typed by someone in a channel) into a Reply (Markdown text that is
// public or only for that person). Adapters for Slack, Mattermost and the
// console (packages adapters/…) translate their platform's events into
// Requests and Replies into their own messages; bot imports none of them.
//
// What it owns:
//   - Request, Reply and Status; Poster, Posters and Destination, for
//     messages nobody asked for at that moment (poll results, scheduled
//     prompts); Adapter, the interface every platform adapter implements.
//   - The command table (commands.go): each command once, with its
//     aliases, argument hint and summary (catalog keys cmd.NAME.hint and
//     cmd.NAME.summary), examples, longest argument, whether it is
//     answered from memory, whether its answer depends on its arguments
//     alone and whether it needs the data file, and its handler, one file
//     per command (waarde.go, casus.go, …). The router (Handle), the help,
//     the "did you mean" answer, Instant, Cacheable and Commands (what
//     adapters register with their platform) derive from it.
//   - The message catalog, in Dutch and English (catalog_nl.go,
//     catalog_en.go); T gives adapters the words for their own controls.
//   - Polls and schedules, kept in a Store (poll.Store and schedule.Store
//     in one) that package bot/store implements on a bbolt file, and
//     package bot/store/postgres on PostgreSQL for several instances; that
//     store is an Elector too, and Run then runs the clock on the one
//     instance that leads.
//   - The files of a poll's result (package bot/export makes them): a
//     reply carries them as data (Reply.Files) after its text, and an
//     adapter only uploads them, the private ones to the asker's direct
//     messages; ExportPoll and ExportChannel give the same files to the
//     command line.
//   - The rules adapters share for poll messages: AfterReply posts a new
//     poll as the bot's own message and records it, or redraws a changed
//     one through the adapter's PollMessages; PollClicked and Redraw do
//     the same for button clicks.
//   - Roster, which adapters implement and UseRosters registers by
//     platform: a channel's member count (a poll's participation), its
//     members and a private message (reminders, sent by Run); and Form,
//     the forms adapters show (a Slack modal, a Mattermost dialog) and
//     hand back to SubmitForm.
//
// Wiring a bot, as cmd/waardenbot does:
//
//	st, err := store.Open(path) // package bot/store; store.New opens the file only when a command needs it
//	if err != nil { … }
//	defer st.Close()
//	b := bot.New(kb, bot.Config{Lang: "nl"}, log, bot.WithStore(st))
//	a := slack.New(cfg.Slack, b, log)    // a bot.Adapter, and a bot.Roster
//	b.UseRosters(bot.Rosters{a.Platform(): a})
//	go a.Run(ctx)                        // serves the platform until ctx ends
//	err = b.Run(ctx, bot.Posters{a.Platform(): a}) // poll deadlines, reminders and scheduled posts
//
// One answer needs no adapter and no store:
//
//	r := b.HandleText(ctx, bot.Request{Platform: "console", Channel: "raad", User: "anna"}, "/waarde privacy")
//
// Writing an adapter: turn a platform event into a Request and call
// Handle (HandleText for a message's free text); give the Reply to
// AfterReply with the adapter's PollMessages, and show it only when
// AfterReply did not post it as a poll message; upload its Files after
// its text (a file that fails never keeps the text back; tell the asker);
// implement Adapter, and answer Instant commands inline where the
// platform has a deadline. What an adapter made of the answer to a
// Cacheable command it may keep and send again for the same command and
// arguments (the Slack adapter does, with adapters/internal/answers).
package bot
