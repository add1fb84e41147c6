// The shell completion scripts `fluxcfg completion <shell>` prints. Each only collects the words of the command
// line and asks `fluxcfg __complete <words...>` for the candidates (complete.ts); a last line `:file` means
// "complete file names".

export const shells = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof shells)[number];

const bash = `# fluxcfg completion for bash (4.4 or newer).
# Load it in this shell:   source <(fluxcfg completion bash)
# Load it in every shell:  fluxcfg completion bash > ~/.local/share/bash-completion/completions/fluxcfg
_fluxcfg_completion() {
    local -a words=() out=()
    local i w glue=0
    # bash splits --flag=value and a:b at COMP_WORDBREAKS; glue the pieces back for fluxcfg.
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=\${COMP_WORDS[i]}
        if ((\${#words[@]})) && [[ $glue == 1 || $w == "=" || $w == ":" ]]; then
            words[\${#words[@]}-1]+=$w
        else
            words+=("$w")
        fi
        [[ $w == "=" || $w == ":" ]] && glue=1 || glue=0
    done
    # What readline replaces: the text after the last word break.
    local cur=\${COMP_WORDS[COMP_CWORD]}
    [[ $cur == "=" || $cur == ":" ]] && cur=""
    mapfile -t out < <(fluxcfg __complete "\${words[@]}" 2>/dev/null)
    COMPREPLY=()
    if ((\${#out[@]})) && [[ \${out[\${#out[@]}-1]} == ":file" ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
    fi
    local strip=$((\${#words[\${#words[@]}-1]} - \${#cur}))
    for w in "\${out[@]}"; do
        [[ -n $w ]] && COMPREPLY+=("\${w:strip}")
    done
    if ((\${#COMPREPLY[@]} == 1)) && [[ \${COMPREPLY[0]} == *[=.] ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}
complete -F _fluxcfg_completion fluxcfg
`;

const zsh = `#compdef fluxcfg
# fluxcfg completion for zsh.
# Load it in this shell (after compinit):  source <(fluxcfg completion zsh)
# Load it in every shell:  fluxcfg completion zsh > "\${fpath[1]}/_fluxcfg"  (a directory of $fpath)
_fluxcfg() {
    local -a out nospace spaced
    out=("\${(@f)$(fluxcfg __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ \${out[-1]} == ':file' ]]; then
        _files
        return
    fi
    out=(\${out:#})
    nospace=(\${(M)out:#*[=.]})
    spaced=(\${out:#*[=.]})
    compadd -- "\${spaced[@]}"
    compadd -S '' -- "\${nospace[@]}"
}
if [[ "$funcstack[1]" == "_fluxcfg" ]]; then
    _fluxcfg "$@"
else
    compdef _fluxcfg fluxcfg
fi
`;

const fish = `# fluxcfg completion for fish.
# Load it in this shell:   fluxcfg completion fish | source
# Load it in every shell:  fluxcfg completion fish > ~/.config/fish/completions/fluxcfg.fish
function __fluxcfg_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (fluxcfg __complete $words[2..-1] "$cur" 2>/dev/null)
    if test (count $out) -gt 0; and test "$out[-1]" = ":file"
        __fish_complete_path "$cur"
        return
    end
    printf '%s\\n' $out
end
complete -c fluxcfg -f -a '(__fluxcfg_complete)'
`;

const powershell = `# fluxcfg completion for PowerShell.
# Load it in this session:  fluxcfg completion powershell | Out-String | Invoke-Expression
# Load it in every session: add that line to $PROFILE
Register-ArgumentCompleter -Native -CommandName fluxcfg -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.StartOffset -lt $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') {
        # Windows PowerShell drops an empty argument to a native command; '""' reaches it as one.
        $words += if ($PSVersionTable.PSVersion -lt [version]'7.3') { '""' } else { '' }
    }
    $out = @(fluxcfg __complete @words 2>$null)
    if ($out.Count -gt 0 -and $out[-1] -eq ':file') { return }
    $out | Where-Object { $_ } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;

export function completionScript(shell: Shell): string {
  return { bash, zsh, fish, powershell }[shell];
}
