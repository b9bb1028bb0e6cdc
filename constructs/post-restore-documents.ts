import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { NAME_SUFFIX, Naming, PostRestorePlatform } from "./naming";

/** Where the fix-up scripts live: plain files, so they can be read, linted and run on their own. */
export const POST_RESTORE_SCRIPTS: Readonly<Record<PostRestorePlatform, string>> = {
  windows: path.resolve(__dirname, "..", "documents", "windows-post-restore.ps1"),
  linux: path.resolve(__dirname, "..", "documents", "linux-post-restore.sh"),
};

/** The document parameters, by name; `restore` passes none and takes the defaults the stacks set. */
export const POST_RESTORE_PARAMETERS = {
  otherRegionCidrs: "OtherRegionCidrs",
  switchToDhcp: "SwitchToDhcp",
} as const;

/** The one step of each document; `restore` reads its output by this name. */
export const POST_RESTORE_STEP = "fixups";

/** Ends the here-document that carries the Linux script; no line of the script may be this. */
const HEREDOC_END = "REGIONPAIR_POST_RESTORE_SCRIPT";

/** Longest run of the step before the agent stops it (slmgr /ato and w32tm can each take a minute). */
const STEP_TIMEOUT_SECONDS = 900;

export interface PostRestoreDocumentsProps {
  /**
   * The other region's CIDRs, the default of the `OtherRegionCidrs` parameter: persistent routes
   * and hosts-file entries into them are reported.
   */
  readonly otherRegionCidrs: readonly string[];
}

/** A schema 2.2 Command document that runs one script, as its content JSON. */
export function postRestoreDocumentContent(platform: PostRestorePlatform, otherRegionCidrs: readonly string[], script: string): string {
  const cidrs = otherRegionCidrs.join(",");
  // Only digits, dots, slashes and commas: the value is pasted into a quoted string of the script.
  const cidrParameter = {
    type: "String",
    description: "CIDRs of the other region of the pair, comma-separated: routes and hosts-file entries into them are reported.",
    default: cidrs,
    allowedPattern: "^[0-9./,]*$",
  };
  const windows = platform === "windows";
  const lines = script.split(/\r?\n/);
  const runCommand = windows
    ? [`$OtherRegionCidrs = '{{ ${POST_RESTORE_PARAMETERS.otherRegionCidrs} }}'`, `$SwitchToDhcp = '{{ ${POST_RESTORE_PARAMETERS.switchToDhcp} }}'`, ...lines]
    : // The agent may start the commands with sh; the script needs bash. A quoted here-document
      // hands it to bash untouched (the parameter is substituted by the agent before either runs).
      [`bash <<'${HEREDOC_END}'`, `OTHER_REGION_CIDRS='{{ ${POST_RESTORE_PARAMETERS.otherRegionCidrs} }}'`, ...lines, HEREDOC_END];
  return JSON.stringify({
    schemaVersion: "2.2",
    description: windows
      ? "regionpair post-restore fix-ups for Windows: EC2Launch v1 routes, activation, time, DHCP, routes and hosts entries into the other region. Ends with a one-line JSON summary."
      : "regionpair post-restore checks for Linux: DHCP, routes and hosts entries into the other region. Ends with a one-line JSON summary.",
    parameters: windows
      ? {
          [POST_RESTORE_PARAMETERS.otherRegionCidrs]: cidrParameter,
          [POST_RESTORE_PARAMETERS.switchToDhcp]: {
            type: "String",
            description: "true switches every adapter that is not on DHCP to DHCP; false only reports them.",
            default: "false",
            allowedValues: ["false", "true"],
          },
        }
      : { [POST_RESTORE_PARAMETERS.otherRegionCidrs]: cidrParameter },
    mainSteps: [
      {
        action: windows ? "aws:runPowerShellScript" : "aws:runShellScript",
        name: POST_RESTORE_STEP,
        // A document sent to the wrong platform skips its step instead of failing on it.
        precondition: { StringEquals: ["platformType", windows ? "Windows" : "Linux"] },
        inputs: { timeoutSeconds: STEP_TIMEOUT_SECONDS, runCommand },
      },
    ],
  });
}

/**
 * A string Terraform must take as it is: the scripts' `${...}` and `%{...}` are shell and
 * PowerShell, and Terraform reads `$${` and `%%{` as those literal characters.
 */
function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
}

/**
 * The SSM Command documents `restore` runs on a restored instance once it is online in Systems
 * Manager: one for Windows (EC2Launch v1 routes and wallpaper, activation, time source, adapters
 * not on DHCP, routes and hosts-file entries into the other region) and a smaller one for Linux
 * (DHCP, routes and hosts entries). Created in both regions, so either can be the DR region.
 */
export class PostRestoreDocuments extends Construct {
  readonly windows: SsmDocument;
  readonly linux: SsmDocument;

  constructor(scope: Construct, id: string, props: PostRestoreDocumentsProps) {
    super(scope, id);
    const naming = Naming.of(this);
    const document = (platform: PostRestorePlatform) => {
      const name = naming.name(NAME_SUFFIX.postRestoreDocument(platform));
      return new SsmDocument(this, platform, {
        name,
        documentType: "Command",
        documentFormat: "JSON",
        content: terraformLiteral(postRestoreDocumentContent(platform, props.otherRegionCidrs, readFileSync(POST_RESTORE_SCRIPTS[platform], "utf8"))),
        tags: { Name: name },
      });
    };
    this.windows = document("windows");
    this.linux = document("linux");
  }

  /** The document names by platform, as `restore` looks them up. */
  get names(): Record<PostRestorePlatform, string> {
    return { windows: this.windows.name, linux: this.linux.name };
  }
}
