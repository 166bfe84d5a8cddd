# %% [markdown]
# # 试运行

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集名称

# %%
import pandas as pd

pd.DataFrame({"a": [1, 2]})
