// Wire shapes we queue for the Graph API (see ../shared/whatsapp-cloud-api.md, "Sending").

export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | {
      type: 'interactive';
      interactive:
        | {
            type: 'button';
            body: { text: string };
            action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
          }
        | {
            type: 'list';
            body: { text: string };
            action: {
              button: string;
              sections: { title: string; rows: { id: string; title: string; description: string }[] }[];
            };
          };
    }
  | {
      type: 'template';
      template: {
        name: string;
        language: { code: string };
        components?: (
          | { type: 'body'; parameters: { type: 'text'; text: string }[] }
          | {
              type: 'button';
              sub_type: 'quick_reply';
              index: string;
              parameters: { type: 'payload'; payload: string }[];
            }
        )[];
      };
    };
