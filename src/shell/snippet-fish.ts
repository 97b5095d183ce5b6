// The fish snippet of `continuum shell-init fish`. Kept as one literal so that what the
// user's shell runs is exactly what is reviewed here; src/shell/shell-snippets.ts documents the
// record format it writes and reads.

/** Fish code printed by `continuum shell-init fish`. */
export const fishSnippet = `# continuum shell integration for fish: \`continuum shell-init fish | source\` in config.fish.
# Outside tmux it does nothing. Per prompt and per command it runs only builtins (no process).
if set -q TMUX; and set -q TMUX_PANE; and status is-interactive; and not set -q __continuum_loaded
set -g __continuum_loaded 1
set -l __continuum_base $XDG_RUNTIME_DIR
test -n "$__continuum_base"; or set __continuum_base $XDG_STATE_HOME
test -n "$__continuum_base"; or set __continuum_base $HOME/.local/state
set -g __continuum_directory $__continuum_base/continuum/panes
set -g __continuum_server (string split -f2 , -- $TMUX)
# A restored pane carries its saved identity; one that came from another pane's environment (a
# server started inside a pane copies it) belongs to that pane, and this pane gets its own.
if string match -qr '^[A-Za-z0-9_-]{1,64}$' -- "$CONTINUUM_PANE_ID"; and begin; test -z "$CONTINUUM_PANE_OWNER"; or test "$CONTINUUM_PANE_OWNER" = "$TMUX_PANE,$__continuum_server"; end
    set -g __continuum_identity $CONTINUUM_PANE_ID
else
    set -g __continuum_identity $__continuum_server-(string replace % '' -- $TMUX_PANE)-$fish_pid
end
set -gx CONTINUUM_PANE_ID $__continuum_identity
set -gx CONTINUUM_PANE_OWNER $TMUX_PANE,$__continuum_server
set -g __continuum_state $__continuum_directory/$__continuum_identity.state
set -g __continuum_history $__continuum_directory/$__continuum_identity.history
# Once, at load: only a directory of this shell's own user, 0700, in a parent of its own, reached
# through no symlink (docs/shell-integration.md), else the pane records nothing, silently.
set -l __continuum_umask (umask)
umask 077
test -e $__continuum_directory; or test -L $__continuum_directory; or command mkdir -p -- $__continuum_directory 2>/dev/null
set -l __continuum_parent (string replace -r '/[^/]*$' '' -- $__continuum_directory)
set -l __continuum_base (string replace -r '/[^/]*$' '' -- $__continuum_parent)
if test -d "$__continuum_base" -a ! -L "$__continuum_base" -a -O "$__continuum_base" -a -d $__continuum_parent -a ! -L $__continuum_parent -a -O $__continuum_parent
    and command chmod 700 -- $__continuum_parent 2>/dev/null
    and test -d $__continuum_directory -a ! -L $__continuum_directory -a -O $__continuum_directory
    and command chmod 700 -- $__continuum_directory 2>/dev/null
    and test ! -L $__continuum_state -a ! -L $__continuum_history
    and begin; test ! -e $__continuum_state; or test -f $__continuum_state -a -O $__continuum_state; end
    and begin; test ! -e $__continuum_history; or test -f $__continuum_history -a -O $__continuum_history; end
    # fish prints a builtin's failed write on the terminal whatever its redirections say, so the
    # first bytes of both files are written here by another process, silently: on a full file
    # system nothing is recorded, and later records rewrite a block the file already holds.
    and command sh -c '{ test -s "$1" || printf "\\0" >>"$1"; } && { test -s "$2" || printf "continuum-pane\\0" >"$2"; }' continuum $__continuum_history $__continuum_state 2>/dev/null
    set -g __continuum_private 1
end
umask $__continuum_umask
set -g __continuum_names
for __continuum_name in VIRTUAL_ENV CONDA_DEFAULT_ENV (string split -n -- ' ' (string replace -a , ' ' -- "$CONTINUUM_ENVIRONMENT_NAMES"))
    string match -qr '^[A-Za-z_][A-Za-z0-9_]*$' -- $__continuum_name; and set -a __continuum_names $__continuum_name
end
set -e __continuum_name

# Writes the pane's record: NUL-terminated fields, so any byte of a value survives. fish reports
# a builtin's failed write on the terminal whatever its redirections say (\`write: No space left
# on device\` on a full runtime directory): after one failure the pane records nothing more.
function __continuum_write_state
    set -q __continuum_private; or return 0
    begin
        printf '%s\\0' continuum-pane 1 identity $__continuum_identity tmux $TMUX tmux-pane $TMUX_PANE \\
            shell fish shell-pid $fish_pid history-file $__continuum_history
        set -q argv[1]; and printf '%s\\0' command $argv[1]
        for name in $__continuum_names
            set -q $name; and printf 'environment\\0%s=%s\\0' $name "$$name"
        end
        printf 'end\\0'
    end >$__continuum_state 2>/dev/null; or set -e __continuum_private
end

function __continuum_before_command --on-event fish_preexec
    # fish keeps a line that starts with a space out of its history: so does continuum.
    string match -q -- ' *' $argv[1]; and return
    set -q __continuum_private; or return 0
    printf '%s\\0' $argv[1] >>$__continuum_history 2>/dev/null; or set -e __continuum_private
    # A restored pane runs on its own history session: the global one still gets every command, in
    # fish's own format (backslashes doubled, newlines as backslash-n; no time: fish reads none as 0).
    if set -q __continuum_global_history
        set -l lines (string split \\n -- $argv[1])
        printf '%s\\n' "- cmd: "(string join -- '\\\\n' (string replace -a -- '\\\\' '\\\\\\\\' $lines)) >>$__continuum_global_history 2>/dev/null
    end
    __continuum_write_state $argv[1]
end

function __continuum_prompt --on-event fish_prompt
    __continuum_write_state
end

# A restored pane: variables from the file continuum wrote, read as data (string split0 keeps
# every byte of a field but NUL). fish 3 has no way to add entries to a running session's
# history, so continuum writes the pane's history in fish's own format and the pane starts on a
# history session of its own made of that file ($fish_history, read when the first prompt
# comes); each command also goes to the global session's file (see __continuum_before_command).
function __continuum_restore
    set -l file $CONTINUUM_RESTORE_FILE
    set -e CONTINUUM_RESTORE_FILE
    # Only a file of ours in the pane directory, never through a link.
    set -q __continuum_private; or return 0
    string match -q -- "$__continuum_directory/*" "$file"; and test -f "$file" -a ! -L "$file" -a -O "$file"; or return 0
    set -l fields (string split0 <$file)
    command rm -f -- $file
    test "$fields[1]" = continuum-restore; or return 0
    set -l history_shell fish
    set -l history_file
    set -l virtualenv
    set -l index 3
    set -l total (count $fields)
    while test $index -le $total
        set -l key $fields[$index]
        if test "$key" = environment; and test (math $index + 2) -le $total
            set -l name $fields[(math $index + 1)]
            string match -qr '^[A-Za-z_][A-Za-z0-9_]*$' -- $name; and set -gx $name $fields[(math $index + 2)]
            test "$name" = VIRTUAL_ENV; and set virtualenv 1
            set index (math $index + 3)
        else if test "$key" = history-file; and test (math $index + 1) -le $total
            set history_file $fields[(math $index + 1)]
            set index (math $index + 2)
        else if test "$key" = history-shell; and test (math $index + 1) -le $total
            set history_shell $fields[(math $index + 1)]
            set index (math $index + 2)
        else
            break
        end
    end
    if test -n "$history_file"; and string match -q -- "$__continuum_directory/*" "$history_file"; and test -f "$history_file" -a ! -L "$history_file" -a -O "$history_file"
        # Another shell's history is in that shell's format: fish would take its lines for commands.
        if test "$history_shell" = fish
            __continuum_history_session $history_file
        else
            printf 'continuum: this pane ran %s when it was saved; its history is left out of fish\\n' $history_shell >&2
            command rm -f -- $history_file
        end
    end
    # Only a virtualenv the restore named (continuum checked whose files it holds before naming it).
    if test -n "$virtualenv"; and set -q VIRTUAL_ENV
        if test -f $VIRTUAL_ENV/bin/activate.fish
            source $VIRTUAL_ENV/bin/activate.fish
        else
            printf 'continuum: the virtualenv %s no longer exists\\n' $VIRTUAL_ENV >&2
            set -e VIRTUAL_ENV
        end
    end
end

function __continuum_history_session --argument-names file
    # fish_history '' is fish's private mode: no history is kept, so none is brought back.
    if set -q fish_history; and test -z "$fish_history"
        command rm -f -- $file
        return 0
    end
    set -l global fish
    set -q fish_history; and test "$fish_history" != default; and set global $fish_history
    set -l data $__fish_user_data_dir
    test -n "$data"; or set data (string replace -r '^$' $HOME/.local/share -- "$XDG_DATA_HOME")/fish
    set -l session continuum_(string replace -a - _ -- $__continuum_identity)
    test -d $data; or command mkdir -p -- $data
    command mv -f -- $file $data/$session"_history"; or return 0
    set -g __continuum_global_history $data/$global"_history"
    set -g __continuum_session_history $data/$session"_history"
    set -g fish_history $session
end

# The pane's session file is only the way its history came back: gone with the pane.
function __continuum_exit --on-event fish_exit
    set -q __continuum_session_history; and command rm -f -- $__continuum_session_history
end
set -q CONTINUUM_RESTORE_FILE; and __continuum_restore
end
`;
