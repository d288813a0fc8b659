// Package poll is waardenbot's poll domain: a casus put to a channel with
// values to choose from (/casus), or a statement to agree or disagree with
// (/stelling), the votes on it, and what the votes say.
//
// It owns
//   - the types: Poll, Option, Vote, Tally, Kind, and the store contract
//     Store with its Change (package store implements it on bbolt);
//   - IDs: four to six characters that read and type well (NewID);
//   - parsing what users type: the settings before a text (anoniem,
//     verborgen, max=N, duur=…, tot=…), the values after "|", and the
//     choices of a vote (numbers, keys, labels, values as /waarde finds
//     them);
//   - the rules: who may vote (the poll's channel, before its deadline),
//     how a click toggles an option, who may close a poll (its creator or
//     an admin), keys that hide voters in an anonymous poll;
//   - results: counts per option and per cluster, the values chosen
//     strongly, the tensions between them and follow-up questions;
//   - deadlines and retention: closing polls whose time is up, trying a
//     result again that could not be delivered, deleting old closed polls;
//   - steering a poll (issue 13): corrections until the first vote
//     (Change, /wijzig; anonymity never changes), values added by
//     participants (AddOption, /optie, aanvullen), polls made from a form
//     once per submission (CreateFrom), repeats and how views moved
//     between a poll and its repeat (Repeat, Shift), and reminders to
//     those who have not voted (herinnering=: the roster of who was in
//     the channel at the start, and a claim in the store per reminder,
//     so that nobody is reminded twice).
//
// It says nothing in any language. What a user must read about a refused
// request comes as a *Refusal: the catalog key of the sentence and its
// arguments, which package bot turns into text. Every other error is a
// failure on the bot's side.
//
// Use it through one Service:
//
//	svc := poll.NewService(st, kb, time.Now, loc, poll.WithStatementLabels("agree", "neutral", "disagree"))
//	who := poll.Person{Where: chat.Destination{Platform: "slack", Team: "T1", Channel: "C1"}, User: "U1", Name: "anna"}
//	p, err := svc.Create(ctx, who, poll.Values, "max=2 Mag de gemeente dit? | privacy, gelijkheid")
//	ballot, err := svc.Vote(ctx, voter, p.ID, "privacy")       // or svc.Toggle for a button
//	p, t, err := svc.Close(ctx, who, p.ID, isAdmin, askPlatform) // the creator, or an admin
//	result := svc.Result(p, t)
//
// and, from a loop, svc.CloseDue to close polls at their deadline and
// deliver their results, svc.RemindersDue with ClaimReminders for the
// reminders, and svc.Prune to delete old closed polls.
// Package bot turns all of it into commands and replies. A Service is
// safe for concurrent use.
package poll
