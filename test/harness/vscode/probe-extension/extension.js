// Test-only probe extension for lbguard's code-server harness (plain JS, no dependencies).
// - a Warning diagnostic (source "lbguard-probe", code "probe-word") on every occurrence of PROBE
//   in a YAML document;
// - a quick fix "Replace PROBE with CHECKED" for that diagnostic;
// - a hover "lbguard probe hover: ..." over the word PROBE.
'use strict';
const vscode = require('vscode');

const WORD = 'PROBE';
const SOURCE = 'lbguard-probe';
const CODE = 'probe-word';

function activate(context) {
  const collection = vscode.languages.createDiagnosticCollection(SOURCE);
  context.subscriptions.push(collection);

  const refresh = (doc) => {
    if (doc.languageId !== 'yaml') return;
    const diagnostics = [];
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      let col = text.indexOf(WORD);
      while (col !== -1) {
        const range = new vscode.Range(line, col, line, col + WORD.length);
        const d = new vscode.Diagnostic(range, `probe word ${WORD} found`, vscode.DiagnosticSeverity.Warning);
        d.source = SOURCE;
        d.code = CODE;
        diagnostics.push(d);
        col = text.indexOf(WORD, col + WORD.length);
      }
    }
    collection.set(doc.uri, diagnostics);
  };

  vscode.workspace.textDocuments.forEach(refresh);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  );

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      { language: 'yaml' },
      {
        provideCodeActions(document, _range, ctx) {
          return ctx.diagnostics
            .filter((d) => d.source === SOURCE)
            .map((d) => {
              const action = new vscode.CodeAction(`Replace ${WORD} with CHECKED`, vscode.CodeActionKind.QuickFix);
              action.diagnostics = [d];
              action.isPreferred = true;
              action.edit = new vscode.WorkspaceEdit();
              action.edit.replace(document.uri, d.range, 'CHECKED');
              return action;
            });
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );

  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'yaml' }, {
      provideHover(document, position) {
        const range = document.getWordRangeAtPosition(position, /PROBE/);
        if (!range) return undefined;
        return new vscode.Hover(
          new vscode.MarkdownString(`**lbguard probe hover**: line ${position.line + 1} holds \`${WORD}\``),
          range,
        );
      },
    }),
  );

  // Lets an extension-host test (runExtensionTests) observe activation.
  return { probeActivated: true };
}

function deactivate() {}

module.exports = { activate, deactivate };
