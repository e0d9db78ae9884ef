import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Button, Flex, Typography } from 'antd';
import { ClearOutlined } from '@ant-design/icons';
import { FormattedMessage } from 'react-intl';
import SignaturePad from 'signature_pad';

export interface SignatureHandle {
  isEmpty: () => boolean;
  /** the drawn signature as a PNG blob (null when nothing is drawn) */
  toBlob: () => Promise<Blob | null>;
}

/** A finger/mouse signature pad (npm `signature_pad`), exported as PNG. */
export const SignaturePadField = forwardRef<SignatureHandle, { height?: number }>(function SignaturePadField({ height = 180 }, ref) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const resize = () => {
      const w = canvas.offsetWidth;
      canvas.width = w * ratio;
      canvas.height = height * ratio;
      canvas.getContext('2d')!.scale(ratio, ratio);
      padRef.current?.clear();
      setEmpty(true);
    };
    const pad = new SignaturePad(canvas, { backgroundColor: 'rgb(255,255,255)', penColor: '#001529' });
    padRef.current = pad;
    const onEnd = () => setEmpty(pad.isEmpty());
    pad.addEventListener('endStroke', onEnd);
    resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      pad.removeEventListener('endStroke', onEnd);
      pad.off();
    };
  }, [height]);

  useImperativeHandle(ref, () => ({
    isEmpty: () => padRef.current?.isEmpty() ?? true,
    toBlob: () =>
      new Promise((resolve) => {
        if (!padRef.current || padRef.current.isEmpty()) return resolve(null);
        canvasRef.current!.toBlob((b) => resolve(b), 'image/png');
      }),
  }));

  return (
    <div>
      <canvas
        ref={canvasRef}
        data-testid="signature-pad"
        style={{ width: '100%', height, border: '1px dashed #bfbfbf', borderRadius: 6, touchAction: 'none', background: '#fff' }}
      />
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <FormattedMessage id={empty ? 'ticket.sign.hint' : 'ticket.sign.done'} />
        </Typography.Text>
        <Button
          size="small"
          type="link"
          icon={<ClearOutlined />}
          onClick={() => {
            padRef.current?.clear();
            setEmpty(true);
          }}
        >
          <FormattedMessage id="ticket.sign.clear" />
        </Button>
      </Flex>
    </div>
  );
});
