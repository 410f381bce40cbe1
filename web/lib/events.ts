// Typed events: components send these up; the app shell owns the state.

export class FilterChangeEvent extends Event {
  static readonly eventName = 'filter-change';
  constructor(readonly filter: string) {
    super(FilterChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

export class PortSelectEvent extends Event {
  static readonly eventName = 'port-select';
  constructor(readonly proto: 'tcp' | 'udp', readonly port: number) {
    super(PortSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'filter-change': FilterChangeEvent;
    'port-select': PortSelectEvent;
  }
}
