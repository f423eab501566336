// Package day2 keeps a running host's configuration files in step with what
// the renderers produce, over SSH, after the VM exists: the way a web server
// added to the tier reaches the running load balancers, and the way secrets
// (the AJP secret, exporter credentials) reach on-prem nodes without ever
// sitting in user-data.
//
// NewHost registers one pulumi-command remote.Command per file. Each runs
// the script InstallScript returns; the file's content travels on the
// command's stdin, never in the command string, so command strings, which
// Pulumi shows in previews, logs and error messages, never hold a secret.
// The script:
//
//  1. writes stdin to a temp file (mode 0600) next to the target, so the
//     final rename stays on one filesystem and is atomic;
//  2. compares it with the installed file: same bytes, owner and mode
//     means nothing to do (no move, no reload, mtime untouched);
//  3. runs the file's check command on the temp copy ({path}); a failing
//     check exits 2 with the validator's message and leaves the installed
//     file and the running service untouched;
//  4. sets owner and mode, hard-links the old file aside and renames the
//     temp copy over the target;
//  5. runs the graceful reload; if the reload fails the old file is put
//     back and the script exits 3, so the next run tries again rather than
//     finding "unchanged" content that was never loaded.
//
// Triggers carry a SHA-256 of the content, so changed content replaces the
// command (re-running the script) and unchanged content does nothing. For a
// secret file the digest is itself a secret output: an unsalted hash of a
// short password can be brute-forced, so it must not sit in plain in the
// state or in a preview. (An HMAC would need a key stored somewhere; the
// state already encrypts secrets, so a secret digest gives the same
// protection without a second key to manage.) Secret files also get
// Logging "none" and secret stdout/stderr, and their script withholds the
// validator's output, because the provider copies a failing command's output
// into the error message whatever the Logging setting says.
//
// Deleting a Host, or dropping a file from it, runs nothing on the host: the
// last good configuration stays in place.
//
// With WaitForCloudInit the file commands depend on a first command that
// runs `cloud-init status --wait` under a timeout, so a node that is still
// booting is not configured halfway through its first boot.
package day2
