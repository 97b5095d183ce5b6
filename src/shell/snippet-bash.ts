// The bash snippet of `continuum shell-init bash`. Kept as one literal so that what the
// user's shell runs is exactly what is reviewed here; src/shell/shell-snippets.ts documents the
// record format it writes and reads.

/** Bash code printed by `continuum shell-init bash`. */
export const bashSnippet = `# continuum shell integration for bash: eval "$(continuum shell-init bash)" in ~/.bashrc.
# Outside tmux it does nothing. Per prompt and per command it runs only builtins (no process).
if [[ -n \${TMUX-} && -n \${TMUX_PANE-} && $- == *i* && -z \${__continuum_loaded-} ]]; then
__continuum_loaded=1
__continuum_directory=\${XDG_RUNTIME_DIR:-\${XDG_STATE_HOME:-$HOME/.local/state}}/continuum/panes
__continuum_server=\${TMUX#*,}
__continuum_server=\${__continuum_server%%,*}
# A restored pane carries its saved identity; one that came from another pane's environment (a
# server started inside a pane copies it) belongs to that pane, and this pane gets its own.
if [[ \${CONTINUUM_PANE_ID-} =~ ^[A-Za-z0-9_-]{1,64}$ && ( -z \${CONTINUUM_PANE_OWNER-} || $CONTINUUM_PANE_OWNER == "$TMUX_PANE,$__continuum_server" ) ]]; then
  __continuum_identity=$CONTINUUM_PANE_ID
else
  __continuum_identity=$__continuum_server-\${TMUX_PANE#%}-$$
fi
export CONTINUUM_PANE_ID=$__continuum_identity CONTINUUM_PANE_OWNER=$TMUX_PANE,$__continuum_server
__continuum_state=$__continuum_directory/$__continuum_identity.state
__continuum_history=$__continuum_directory/$__continuum_identity.history
# Once, at load: only a directory of this shell's own user, 0700, in a parent of its own, reached
# through no symlink (docs/shell-integration.md), else the pane records nothing, silently.
[[ -e $__continuum_directory || -L $__continuum_directory ]] || (umask 077 && command mkdir -p -- "$__continuum_directory") 2>/dev/null
__continuum_parent=\${__continuum_directory%/*}
if [[ -d \${__continuum_parent%/*} && ! -L \${__continuum_parent%/*} && -O \${__continuum_parent%/*} &&
  -d $__continuum_parent && ! -L $__continuum_parent && -O $__continuum_parent ]] &&
  command chmod 700 -- "$__continuum_parent" 2>/dev/null &&
  [[ -d $__continuum_directory && ! -L $__continuum_directory && -O $__continuum_directory ]] &&
  command chmod 700 -- "$__continuum_directory" 2>/dev/null &&
  [[ ! -L $__continuum_state && ! -L $__continuum_history ]] &&
  { [[ ! -e $__continuum_state ]] || [[ -f $__continuum_state && -O $__continuum_state ]]; } &&
  { [[ ! -e $__continuum_history ]] || [[ -f $__continuum_history && -O $__continuum_history ]]; }; then
  __continuum_private=1
  [[ -f $__continuum_state && -f $__continuum_history ]] || (umask 077 && : >>"$__continuum_state" && : >>"$__continuum_history") 2>/dev/null
else
  __continuum_private=
fi
unset __continuum_parent
__continuum_names=()
for __continuum_name in VIRTUAL_ENV CONDA_DEFAULT_ENV \${CONTINUUM_ENVIRONMENT_NAMES//,/ }; do
  [[ $__continuum_name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && __continuum_names+=("$__continuum_name")
done
unset __continuum_name
# The ignorespace convention: a command typed with a leading space is kept out of every history.
[[ \${HISTCONTROL-} == *ignorespace* || \${HISTCONTROL-} == *ignoreboth* ]] || HISTCONTROL=\${HISTCONTROL:+$HISTCONTROL:}ignorespace

# Writes the pane's record: NUL-terminated fields, so any byte of a value survives. $1 (when
# given) is the command being run, as \`fc -ln\` prints it.
__continuum_write_state() {
  local __continuum_variable
  {
    printf '%s\\0' continuum-pane 1 identity "$__continuum_identity" tmux "$TMUX" tmux-pane "$TMUX_PANE" \\
      shell bash shell-pid "$$" history-file "$__continuum_history"
    if [[ -n \${1-} ]]; then
      printf 'fc-command\\0'
      builtin fc -ln -1
      printf '\\0'
    fi
    for __continuum_variable in "\${__continuum_names[@]}"; do
      [[ -n \${!__continuum_variable+set} ]] && printf 'environment\\0%s=%s\\0' "$__continuum_variable" "\${!__continuum_variable}"
    done
    printf 'end\\0'
  } >"$__continuum_state" 2>/dev/null
}

__continuum_prompt() {
  # HISTCMD is the number the next entry gets: it moved when the last line entered the history.
  if [[ -z \${__continuum_next-} ]]; then
    [[ -n \${CONTINUUM_RESTORE_FILE-} ]] && __continuum_restore
  elif (( HISTCMD > __continuum_next )); then
    { builtin fc -ln -1; printf '\\0'; } >>"$__continuum_history" 2>/dev/null
  fi
  __continuum_next=$HISTCMD
  __continuum_write_state
  __continuum_at_prompt=1
}

# The first command after a prompt is the line typed. Its text is the newest history entry only
# when it entered the history (HISTCMD equals the number the prompt saw): a line with a leading
# space is not recorded here either.
__continuum_before_command() {
  [[ -n \${__continuum_at_prompt-} ]] || return 0
  __continuum_at_prompt=
  [[ $BASH_COMMAND == __continuum_prompt ]] && return 0
  (( HISTCMD == __continuum_next )) && __continuum_write_state command
  return 0
}

# A restored pane: history and variables from the file continuum wrote, read as data.
__continuum_restore() {
  local __continuum_key __continuum_value __continuum_file=$CONTINUUM_RESTORE_FILE __continuum_history_file=
  unset CONTINUUM_RESTORE_FILE
  # Only a file of ours in the pane directory, never through a link.
  [[ $__continuum_file == "$__continuum_directory"/* && -f $__continuum_file && ! -L $__continuum_file && -O $__continuum_file ]] || return 0
  local __continuum_virtualenv= __continuum_history_shell=bash
  {
    IFS= read -r -d '' __continuum_key && [[ $__continuum_key == continuum-restore ]] &&
      IFS= read -r -d '' __continuum_value &&
      while IFS= read -r -d '' __continuum_key && IFS= read -r -d '' __continuum_value; do
        case $__continuum_key in
          history-file) __continuum_history_file=$__continuum_value ;;
          history-shell) __continuum_history_shell=$__continuum_value ;;
          environment)
            IFS= read -r -d '' __continuum_key || break
            [[ $__continuum_value == VIRTUAL_ENV ]] && __continuum_virtualenv=1
            [[ $__continuum_value =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && export "$__continuum_value=$__continuum_key" ;;
        esac
      done
  } <"$__continuum_file"
  if [[ $__continuum_history_file == "$__continuum_directory"/* && -f $__continuum_history_file && ! -L $__continuum_history_file && -O $__continuum_history_file ]]; then
    # Another shell's history is in that shell's format: bash would take its lines for commands.
    if [[ $__continuum_history_shell == bash ]]; then
      builtin history -r "$__continuum_history_file"
    else
      printf 'continuum: this pane ran %s when it was saved; its history is left out of bash\\n' "$__continuum_history_shell" >&2
    fi
    command rm -f -- "$__continuum_history_file"
  fi
  command rm -f -- "$__continuum_file"
  # Only a virtualenv the restore named (continuum checked whose files it holds before naming it).
  if [[ -n $__continuum_virtualenv && -n \${VIRTUAL_ENV-} ]]; then
    if [[ -f $VIRTUAL_ENV/bin/activate ]]; then
      builtin source "$VIRTUAL_ENV/bin/activate"
    else
      printf 'continuum: the virtualenv %s no longer exists\\n' "$VIRTUAL_ENV" >&2
      unset VIRTUAL_ENV
    fi
  fi
}

if [[ -z $__continuum_private ]]; then
  unset CONTINUUM_RESTORE_FILE
elif [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
  PROMPT_COMMAND+=(__continuum_prompt)
else
  PROMPT_COMMAND=\${PROMPT_COMMAND:+$PROMPT_COMMAND$'\\n'}__continuum_prompt
fi
if [[ -z $__continuum_private ]]; then
  :
elif [[ -n $(trap -p DEBUG) ]]; then
  # bash-preexec (and what uses it) owns the DEBUG trap and calls preexec_functions.
  [[ $(declare -p preexec_functions 2>/dev/null) == "declare -a"* ]] && preexec_functions+=(__continuum_before_command)
else
  trap '__continuum_before_command' DEBUG
fi
fi
`;
