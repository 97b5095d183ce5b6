// The pwsh snippet of `continuum shell-init pwsh`. Kept as one literal so that what the
// user's shell runs is exactly what is reviewed here; src/shell/shell-snippets.ts documents the
// record format it writes and reads.

/** Pwsh code printed by `continuum shell-init pwsh`. */
export const pwshSnippet = `# continuum shell integration for PowerShell: \`continuum shell-init pwsh | Invoke-Expression\` in $PROFILE.
# Outside tmux/psmux it does nothing. Per prompt and per command it starts no process.
# Inside tmux ($TMUX) or psmux (a PSMUX_* variable), in a pane (TMUX_PANE).
if (($env:TMUX -or (Get-ChildItem Env:PSMUX_* -ErrorAction SilentlyContinue)) -and $env:TMUX_PANE -and -not $global:ContinuumLoaded) {
  $global:ContinuumLoaded = $true
  $continuumBase = if ($env:XDG_RUNTIME_DIR) { $env:XDG_RUNTIME_DIR } elseif ($env:XDG_STATE_HOME) { $env:XDG_STATE_HOME } elseif ($env:LOCALAPPDATA) { $env:LOCALAPPDATA } else { Join-Path $HOME '.local/state' }
  $global:ContinuumDirectory = [IO.Path]::Combine($continuumBase, 'continuum', 'panes')
  $continuumServer = if ($env:TMUX) { ($env:TMUX -split ',')[1] } else { '0' }
  $continuumPane = $env:TMUX_PANE
  if ($env:CONTINUUM_PANE_ID -match '^[A-Za-z0-9_-]{1,64}$' -and (-not $env:CONTINUUM_PANE_OWNER -or $env:CONTINUUM_PANE_OWNER -eq "$continuumPane,$continuumServer")) {
    $global:ContinuumIdentity = $env:CONTINUUM_PANE_ID
  } else {
    $global:ContinuumIdentity = "$continuumServer-$($continuumPane.TrimStart('%'))-$PID"
  }
  $env:CONTINUUM_PANE_ID = $global:ContinuumIdentity
  $env:CONTINUUM_PANE_OWNER = "$continuumPane,$continuumServer"
  $global:ContinuumState = Join-Path $global:ContinuumDirectory "$($global:ContinuumIdentity).state"
  $global:ContinuumHistory = Join-Path $global:ContinuumDirectory "$($global:ContinuumIdentity).history"
  # The directory must be this user's own, 0700, reached through no link, in a parent of its own:
  # one another user made first would let that user redirect each write or read every command.
  # Checked once (nobody else can plant a link in a 0700 directory of ours later); otherwise the
  # pane records nothing and reads no restore file, silently. Windows: LOCALAPPDATA is the user's.
  $global:ContinuumPrivate = $false
  try {
    $null = [IO.Directory]::CreateDirectory($global:ContinuumDirectory)
    if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
      $global:ContinuumPrivate = $true
    } else {
      $continuumParent = [IO.Path]::GetDirectoryName($global:ContinuumDirectory)
      $continuumOwn = $true
      foreach ($path in @([IO.Path]::GetDirectoryName($continuumParent), $continuumParent, $global:ContinuumDirectory)) {
        # UnixStat, User and LinkType: PowerShell 7.3 and later; without them nothing is recorded.
        $item = Get-Item -LiteralPath $path -Force -ErrorAction Stop
        if ($item.LinkType -or -not $item.PSIsContainer -or $item.User -ne [Environment]::UserName) { $continuumOwn = $false }
      }
      if ($continuumOwn) {
        foreach ($path in @($continuumParent, $global:ContinuumDirectory)) { [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode] 'UserRead, UserWrite, UserExecute') }
        foreach ($path in @($global:ContinuumState, $global:ContinuumHistory)) {
          $item = Get-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue
          if ($item -and ($item.LinkType -or $item.PSIsContainer -or $item.User -ne [Environment]::UserName)) { $continuumOwn = $false }
        }
      }
      $global:ContinuumPrivate = $continuumOwn
    }
  } catch { $global:ContinuumPrivate = $false }
  $global:ContinuumNames = @('VIRTUAL_ENV', 'CONDA_DEFAULT_ENV') + @(("$env:CONTINUUM_ENVIRONMENT_NAMES" -split '[ ,]') | Where-Object { $_ -match '^[A-Za-z_][A-Za-z0-9_]*$' })

  # The pane's record: NUL-terminated fields, so any character of a value survives.
  function global:ContinuumWriteState([string] $CommandLine) {
    $fields = [Collections.Generic.List[string]]::new()
    $fields.AddRange([string[]] @('continuum-pane', '1', 'identity', $global:ContinuumIdentity, 'tmux', "$env:TMUX", 'tmux-pane', "$env:TMUX_PANE", 'shell', 'pwsh', 'shell-pid', "$PID", 'history-file', $global:ContinuumHistory))
    if ($CommandLine) { $fields.Add('command'); $fields.Add($CommandLine) }
    foreach ($name in $global:ContinuumNames) {
      $value = [Environment]::GetEnvironmentVariable($name)
      if ($null -ne $value) { $fields.Add('environment'); $fields.Add("$name=$value") }
    }
    $fields.Add('end')
    try { [IO.File]::WriteAllText($global:ContinuumState, ($fields -join "\`0") + "\`0") } catch { }
  }

  if (-not $global:ContinuumPrivate) { Remove-Item Env:CONTINUUM_RESTORE_FILE -ErrorAction SilentlyContinue }
  if ($global:ContinuumPrivate) {
  Set-PSReadLineOption -AddToHistoryHandler {
    param([string] $line)
    # The ignorespace convention: a line typed with a leading space is kept out of every history.
    if ($line -match '^\\s') { return $false }
    # Entries a restore adds back are the pane's history already.
    if ($global:ContinuumRestoring) { return $true }
    try { [IO.File]::AppendAllText($global:ContinuumHistory, "$line\`0") } catch { }
    ContinuumWriteState $line
    return $true
  }

  $global:ContinuumPreviousPrompt = $function:prompt
  function global:prompt {
    ContinuumWriteState ''
    & $global:ContinuumPreviousPrompt
  }
  }

  if ($env:CONTINUUM_RESTORE_FILE) {
    $file = $env:CONTINUUM_RESTORE_FILE
    Remove-Item Env:CONTINUUM_RESTORE_FILE
    $fileItem = Get-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    # Only a file of ours in the pane directory, never through a link.
    if ($fileItem -and -not $fileItem.PSIsContainer -and -not $fileItem.LinkType -and [IO.Path]::GetDirectoryName($file) -eq $global:ContinuumDirectory) {
      $fields = [IO.File]::ReadAllText($file).Split([char] 0)
      Remove-Item -LiteralPath $file -Force
      $historyShell = ''
      $restoredVirtualEnv = $false
      if ($fields[0] -eq 'continuum-restore') {
        $index = 2
        while ($index -lt $fields.Length) {
          if ($fields[$index] -eq 'environment' -and $index + 2 -lt $fields.Length) {
            if ($fields[$index + 1] -match '^[A-Za-z_][A-Za-z0-9_]*$') { [Environment]::SetEnvironmentVariable($fields[$index + 1], $fields[$index + 2]) }
            if ($fields[$index + 1] -eq 'VIRTUAL_ENV') { $restoredVirtualEnv = $true }
            $index += 3
          } elseif ($fields[$index] -eq 'history-shell' -and $index + 1 -lt $fields.Length) {
            $historyShell = $fields[$index + 1]
            $index += 2
          } elseif ($fields[$index] -eq 'history-file' -and $index + 1 -lt $fields.Length) {
            $historyFile = $fields[$index + 1]
            # Another shell's history is in that shell's format: it is left out, with a note.
            if ($historyShell -and $historyShell -ne 'pwsh') {
              Write-Host "continuum: this pane ran $historyShell when it was saved; its history is left out of PowerShell"
              Remove-Item -LiteralPath $historyFile -Force -ErrorAction SilentlyContinue
            } elseif ([IO.Path]::GetDirectoryName($historyFile) -eq $global:ContinuumDirectory -and (Test-Path -LiteralPath $historyFile -PathType Leaf)) {
              $global:ContinuumRestoring = $true
              foreach ($entry in [IO.File]::ReadAllText($historyFile).Split([char] 0)) { if ($entry) { [Microsoft.PowerShell.PSConsoleReadLine]::AddToHistory($entry) } }
              $global:ContinuumRestoring = $false
              Remove-Item -LiteralPath $historyFile -Force
            }
            $index += 2
          } else { break }
        }
      }
      # Only a virtualenv the restore named (continuum checked whose files it holds before naming it).
      if ($restoredVirtualEnv -and $env:VIRTUAL_ENV) {
        $activate = Join-Path $env:VIRTUAL_ENV 'bin/Activate.ps1'
        if (-not (Test-Path -LiteralPath $activate)) { $activate = Join-Path $env:VIRTUAL_ENV 'Scripts/Activate.ps1' }
        if (Test-Path -LiteralPath $activate) { . $activate } else { Write-Host "continuum: the virtualenv $env:VIRTUAL_ENV no longer exists"; Remove-Item Env:VIRTUAL_ENV }
      }
    }
  }
}
`;
