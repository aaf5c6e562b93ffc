//go:build benchstrength

package main

// Built with -tags benchstrength, hello also links the strength package (and
// with it trustelem's zxcvbn, whose package initialisation builds its ranked
// dictionaries before main runs), so scripts/bench-gui.sh can show what that
// alone adds to the start time.
import _ "salesplus/strength"
