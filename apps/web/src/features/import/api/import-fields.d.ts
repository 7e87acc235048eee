declare const parent: {
    readonly name: "company";
    readonly plural: "companies";
    readonly table: "Company";
    readonly fields: {
        readonly name: import("@offline-sync/protocol").TextField;
        readonly address: import("@offline-sync/protocol").TextField;
        readonly phone: import("@offline-sync/protocol").TextField;
        readonly email: import("@offline-sync/protocol").TextField;
        readonly website: import("@offline-sync/protocol").TextField;
    };
}, child: {
    readonly name: "contact";
    readonly plural: "contacts";
    readonly table: "Contact";
    readonly parentKey: "companyId";
    readonly fields: {
        readonly name: import("@offline-sync/protocol").TextField;
        readonly jobTitle: import("@offline-sync/protocol").TextField;
        readonly email: import("@offline-sync/protocol").TextField;
        readonly phone: import("@offline-sync/protocol").TextField;
    };
};
/** A column goes to one declared field of a company or of a contact, or is left out. */
export type ImportTarget = {
    entity: 'company';
    field: keyof typeof parent.fields & string;
} | {
    entity: 'contact';
    field: keyof typeof child.fields & string;
} | null;
/** Every target a column can be mapped to, in the order the picker lists them, with a stable key each. */
export declare const importTargets: {
    key: string;
    label: string;
    target: Exclude<ImportTarget, null>;
}[];
export declare const targetKey: (target: ImportTarget) => string;
export declare const targetOfKey: (key: string) => ImportTarget;
/**
 * Guesses a target for each column from its heading. A bare "Name" is the contact's name when another column is the
 * company (a contacts sheet), else the company's (a companies sheet); "Email" and "Phone" likewise go to the contact
 * when the sheet has contact names. So the app's own two exports read back with no change to the mapping.
 */
export declare function guessMapping(headers: readonly string[]): ImportTarget[];
export {};
